import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { PATCH as patchHost } from "@/app/api/hosts/[id]/route";
import { GET as listScans, POST as requestScan } from "@/app/api/hosts/[id]/scans/route";
import { POST as importOutput } from "@/app/api/hosts/[id]/probe-output/route";
import { POST as retrust } from "@/app/api/hosts/[id]/host-key/route";
import { closeDb, getDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { startScanWorkers, type ScanWorkers } from "@/lib/scan/worker";
import { call, resetDatabase, tokenFor } from "../support/api";
import { captureDocument } from "../support/capture-document";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { generateKeyPair, startSimHost, type KeyPair, type SimBehaviour, type SimHost } from "../support/sim-fleet";
import { waitForScan } from "../support/scan-helpers";

// Transient failures end at once here; retries have their own test below.
process.env.DAXBOARD_SCAN_RETRY_LIMIT = "0";

const LIMITS = { connectTimeoutMs: 1500, execTimeoutMs: 2500, scanTimeoutMs: 4000, maxOutputBytes: 1024 * 1024 };
const ALTRA_MAX_CH41 = DEMO_FLEET.find((p) => p.name === "altra-max-02")!;
const altraDoc = (token: string) => simulatedDocument(ALTRA_MAX_CH41, token);

let operator: string;
let admin: string;
let workers: ScanWorkers;
const sims: SimHost[] = [];
const client = generateKeyPair();

async function sim(
  behaviour: SimBehaviour,
  extra: { hostKey?: KeyPair; auth?: "key" | "password"; password?: string } = {},
) {
  const host = await startSimHost({ behaviour, respond: altraDoc, authorizedKeys: [client.publicKey], ...extra });
  sims.push(host);
  return host;
}

async function register(name: string, target: SimHost, auth: object = { type: "key", privateKey: client.privateKey }) {
  const res = await call(createHost, {
    body: { name, address: target.host, port: target.port, username: target.username, auth },
    token: operator,
  });
  expect(res.status).toBe(201);
  return res.json.host.id as string;
}

async function scan(hostId: string) {
  const res = await call(requestScan, { params: { id: hostId }, token: operator, method: "POST" });
  expect(res.status).toBe(202);
  return waitForScan(res.json.scan.id);
}

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  admin = await tokenFor("admin");
  workers = await startScanWorkers({ concurrency: 8, limits: LIMITS, pollMs: 100, maintenanceMs: 60_000 });
});

afterAll(async () => {
  await workers.stop();
  await stopBoss();
  await Promise.all(sims.map((s) => s.close()));
  await closeDb();
});

describe("scan pipeline: API → queue → worker → ssh → parse → assess → database", () => {
  it("scans a simulated Ampere Altra Max, pins its key on first use and stores facts and verdict", async () => {
    const target = await sim("normal");
    const id = await register("altra-max", target);
    const done = await scan(id);
    expect(done.status).toBe("succeeded");
    expect(done.rawOutput).toContain("daxboard-probe 1");
    const host = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(host).toMatchObject({
      verdict: "platform-ready",
      stale: false,
      pageSize: 4096,
      chVersion: "v41.0.0",
      currentScanId: done.id,
      lastScanStatus: "succeeded",
    });
    expect(host.product).toMatch(/Altra/);
    expect(host.hostKeyFingerprint).toBe(target.hostKeyFingerprint);
    expect(host.hostKeyPinnedBy).toMatch(/first use/);
    const assessment = done.assessment as { checks: { id: string; status: string }[]; cacheSize: { human: string } };
    expect(assessment.checks.find((c) => c.id === "stack.cloud-hypervisor")?.status).toBe("FAIL");
    expect(assessment.cacheSize.human).toBe("2G");
    expect(target.stats.execs).toBe(1);
    expect(target.stats.lastCommand).toMatch(/^sh -s -- [A-Za-z0-9]+$/);
  });

  it("records drift between consecutive good scans: CH upgrade and verdict change", async () => {
    const legacy = DEMO_FLEET.find((p) => p.name === "altra-max-01")!;
    let served = legacy;
    const target = await startSimHost({
      respond: (token) => simulatedDocument(served, token),
      authorizedKeys: [client.publicKey],
    });
    sims.push(target);
    const id = await register("drifting", target);
    const first = await scan(id);
    expect(first.drift).toBeNull();
    served = ALTRA_MAX_CH41;
    const second = await scan(id);
    const drift = second.drift as { field: string; from: unknown; to: unknown }[];
    expect(drift).toEqual(
      expect.arrayContaining([
        { field: "chVersion", from: "v22.1", to: "v41.0.0" },
        { field: "verdict", from: "ready-with-warnings", to: "platform-ready" },
      ]),
    );
    expect(drift.map((d) => d.field)).toContain("virtiofsd");
    expect(drift.map((d) => d.field)).not.toContain("kernel");
    const history = await call(listScans, { params: { id }, token: operator });
    expect(history.json.scans.map((s: { id: string }) => s.id)).toEqual([second.id, first.id]);
  });

  it("scans through a jump host and pins the bastion's key on first use, for both jump-host forms", async () => {
    const bastion = await startSimHost({ allowForwarding: true, authorizedKeys: [client.publicKey] });
    sims.push(bastion);
    const target = await sim("normal");
    const viaAddress = await call(createHost, {
      body: {
        name: "behind-bastion",
        address: target.host,
        port: target.port,
        username: target.username,
        auth: { type: "key", privateKey: client.privateKey },
        jumpHost: {
          address: bastion.host,
          port: bastion.port,
          username: bastion.username,
          auth: { type: "key", privateKey: client.privateKey },
        },
      },
      token: operator,
    });
    expect((await scan(viaAddress.json.host.id)).status).toBe("succeeded");
    expect(await getDb().host.findUniqueOrThrow({ where: { id: viaAddress.json.host.id } })).toMatchObject({
      hostKeyFingerprint: target.hostKeyFingerprint,
      jumpHostKeyFingerprint: bastion.hostKeyFingerprint,
    });

    const bastionId = await register("bastion", bastion);
    const target2 = await sim("normal");
    const viaHost = await call(createHost, {
      body: {
        name: "behind-registered-bastion",
        address: target2.host,
        port: target2.port,
        username: target2.username,
        auth: { type: "key", privateKey: client.privateKey },
        jumpHost: { hostId: bastionId },
      },
      // Going through a registered jump host lends it that host's secret: an admin choice (issue 12).
      token: admin,
    });
    expect((await scan(viaHost.json.host.id)).status).toBe("succeeded");
    expect((await getDb().host.findUniqueOrThrow({ where: { id: bastionId } })).hostKeyFingerprint).toBe(
      bastion.hostKeyFingerprint,
    );
  });

  it("never runs two scans of one host at once: a second request returns the queued one", async () => {
    const target = await sim("normal");
    const id = await register("dedupe", target);
    const [a, b] = await Promise.all([
      call(requestScan, { params: { id }, token: operator, method: "POST" }),
      call(requestScan, { params: { id }, token: operator, method: "POST" }),
    ]);
    expect(a.json.scan.id).toBe(b.json.scan.id);
    expect([a.json.created, b.json.created].sort()).toEqual([false, true]);
    await waitForScan(a.json.scan.id);
    const history = await call(listScans, { params: { id }, token: operator });
    expect(history.json.scans).toHaveLength(1);
  });

  it("imports a probe document produced by hand as an `imported` scan", async () => {
    const target = await sim("normal");
    const id = await register("offline-grace", target);
    const res = await call(importOutput, {
      params: { id },
      token: operator,
      body: { output: captureDocument("nvidia-grace-hrw-abridged", "handrun1") },
    });
    expect(res.status).toBe(201);
    expect(res.json.scan).toMatchObject({ source: "imported", status: "succeeded" });
    const host = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(host.core).toMatch(/V2/);
    const bad = await call(importOutput, { params: { id }, token: operator, body: { output: "hello\nworld\n" } });
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe("parse_failed");
  });

  it("judges a tagged host against its tag's guest profile, and a profile change on the very next scan", async () => {
    const legacy = DEMO_FLEET.find((p) => p.name === "altra-max-01")!;
    const target = await startSimHost({
      respond: (token) => simulatedDocument(legacy, token),
      authorizedKeys: [client.publicKey],
    });
    sims.push(target);
    const res = await call(createHost, {
      body: {
        name: "tagged-gpu",
        address: target.host,
        port: target.port,
        username: target.username,
        tags: ["gpu"],
        auth: { type: "key", privateKey: client.privateKey },
      },
      token: operator,
    });
    const id = res.json.host.id as string;
    const summary = () =>
      getDb().host.findUniqueOrThrow({
        where: { id },
        select: { verdict: true, bestPath: true, guestProfileId: true, currentScan: { select: { assessment: true } } },
      });
    await scan(id);
    expect(await summary()).toMatchObject({ verdict: "ready-with-warnings", guestProfileId: "default" });
    expect((await summary()).bestPath).toBe("virtiofs-dax");
    // Written straight to the table: no re-assessment runs, so only the next scan can pick the profile up.
    const gpu = await getDb().guestProfile.create({
      data: {
        name: "gpu",
        tags: ["gpu"],
        kernelConfig: "CONFIG_FUSE_FS=y\nCONFIG_VIRTIO_FS=y\n# CONFIG_FUSE_DAX is not set\n",
      },
    });
    await scan(id);
    const after = await summary();
    expect(after).toMatchObject({ verdict: "platform-ready", guestProfileId: gpu.id });
    expect(after.bestPath).toBe((after.currentScan!.assessment as { bestPath: string | null }).bestPath);
    const imported = await call(importOutput, {
      params: { id },
      token: operator,
      body: { output: simulatedDocument(legacy, "handrun2") },
    });
    expect(imported.status).toBe(201);
    expect(await summary()).toMatchObject({ verdict: "platform-ready", guestProfileId: gpu.id });
  });
});

// The fault suite: each hostile host first answers well (so there are facts to lose), then turns hostile on
// the same host key. Every failure must be classified and leave the earlier facts in place, marked stale.
const FAULTS: [SimBehaviour, string, { auth?: "password" }?][] = [
  ["no-banner", "timeout"],
  ["stall-after-auth", "timeout"],
  ["drip", "timeout"],
  ["flood", "output-too-large"],
  ["garbage", "parse-failed"],
  ["exit-1", "probe-failed"],
  ["legacy-kex", "kex-failed"],
  ["reject-password", "auth-failed", { auth: "password" }],
];

describe("hostile hosts: classified errors, earlier facts kept", () => {
  it.each(FAULTS)("%s → %s, and the last good facts survive", async (behaviour, expected, opts) => {
    const hostKey = generateKeyPair();
    const password = "sim-password-1";
    const good = await sim("normal", { hostKey, ...(opts?.auth ? { auth: "password", password } : {}) });
    const auth = opts?.auth ? { type: "password", password } : { type: "key", privateKey: client.privateKey };
    const id = await register(`hostile-${behaviour}`, good, auth);
    const first = await scan(id);
    expect(first.status).toBe("succeeded");
    const bad = await sim(behaviour, { hostKey, ...(opts?.auth ? { auth: "password", password } : {}) });
    await call(patchHost, { method: "PATCH", params: { id }, body: { port: bad.port }, token: admin });
    const started = Date.now();
    const failed = await scan(id);
    expect(failed.status).toBe("failed");
    expect(failed.errorClass).toBe(expected);
    expect(Date.now() - started).toBeLessThan(15_000);
    const host = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(host).toMatchObject({
      stale: true,
      currentScanId: first.id,
      lastScanId: failed.id,
      lastErrorClass: expected,
      verdict: "platform-ready",
      lastScanStatus: "failed",
    });
    const current = await getDb().scan.findUniqueOrThrow({ where: { id: first.id } });
    expect(current.facts).not.toBeNull();
  });

  it("a changed host key fails with both fingerprints, keeps the facts, and only an admin can re-trust it", async () => {
    const target = await sim("rotate-host-key");
    const id = await register("rotating", target);
    expect((await scan(id)).status).toBe("succeeded");
    const failed = await scan(id);
    expect(failed.errorClass).toBe("host-key-mismatch");
    const detail = failed.errorDetail as { expectedFingerprint: string; presentedFingerprint: string };
    expect(detail.expectedFingerprint).toBe(target.hostKeyFingerprint);
    expect(detail.presentedFingerprint).toBe(target.rotatedHostKeyFingerprint);
    const host = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(host.stale).toBe(true);
    expect(host.hostKeyFingerprint).toBe(target.hostKeyFingerprint);

    const denied = await call(retrust, {
      params: { id },
      token: operator,
      body: { fingerprint: detail.presentedFingerprint },
    });
    expect(denied.status).toBe(403);
    const wrong = await call(retrust, {
      params: { id },
      token: admin,
      body: { fingerprint: "SHA256:" + "B".repeat(43) },
    });
    expect(wrong.status).toBe(409);
    const ok = await call(retrust, {
      params: { id },
      token: admin,
      body: { fingerprint: detail.presentedFingerprint },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.hostKey).toMatchObject({
      hostKeyFingerprint: target.rotatedHostKeyFingerprint,
      previous: target.hostKeyFingerprint,
    });
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { hostId: id, action: "host.retrust-key" } });
    expect(audit.detail).toMatchObject({ old: target.hostKeyFingerprint, new: target.rotatedHostKeyFingerprint });
    const after = await scan(id);
    expect(after.status).toBe("succeeded");
    expect((await getDb().host.findUniqueOrThrow({ where: { id } })).stale).toBe(false);
  });

  it("a host with no earlier facts that fails shows unknown, never a fail verdict", async () => {
    const target = await sim("garbage");
    const id = await register("garbage-first", target);
    const failed = await scan(id);
    expect(failed.errorClass).toBe("parse-failed");
    const host = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(host).toMatchObject({ verdict: "unknown", stale: false, currentScanId: null });
  });
});
