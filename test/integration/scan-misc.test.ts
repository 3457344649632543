import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as probeSh } from "@/app/probe.sh/route";
import { GET as getSettings, PUT as putSettings } from "@/app/api/settings/route";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as requestScan } from "@/app/api/hosts/[id]/scans/route";
import { closeDb, getDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { runScheduledRescans } from "@/lib/scan/schedule";
import { reapLostScans } from "@/lib/scan/reap-lost-scans";
import { startScanWorkers } from "@/lib/scan/worker";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness";
import { deriveFromProbe } from "@/lib/scan/derive";
import { saveScanResult } from "@/lib/scan/scan-store";
import { call, resetDatabase, tokenFor } from "../support/api";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { generateKeyPair, startSimHost, type SimHost } from "../support/sim-fleet";
import { waitForScan } from "../support/scan-helpers";

let admin: string;
let operator: string;

beforeAll(async () => {
  await resetDatabase();
  admin = await tokenFor("admin");
  operator = await tokenFor("operator");
});
afterAll(async () => {
  await stopBoss();
  await closeDb();
});

describe("GET /probe.sh", () => {
  it("serves the constant probe script, unauthenticated, as lib/probe/probe.sh holds it", async () => {
    const res = await probeSh();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/shellscript/);
    expect(await res.text()).toBe(fs.readFileSync("lib/probe/probe.sh", "utf8"));
  });
});

describe("scheduled rescans", () => {
  it("are off by default and queue hosts not scanned within the interval once an admin sets one", async () => {
    // Loopback ports nothing listens on: if a worker ever picks these scans up, it only meets a refused connection.
    for (const [i, name] of ["sched-a", "sched-b"].entries()) {
      await call(createHost, {
        body: { name, address: "127.0.0.1", port: 9 + i, username: "u", auth: { type: "agent" } },
        token: operator,
      });
    }
    expect((await call(getSettings, { token: operator })).json.settings.scanIntervalMinutes).toBeNull();
    expect(await runScheduledRescans()).toBe(0);
    expect(
      (await call(putSettings, { method: "PUT", body: { scanIntervalMinutes: 60 }, token: operator })).status,
    ).toBe(403);
    const bad = await call(putSettings, { method: "PUT", body: { scanIntervalMinutes: 1 }, token: admin });
    expect(bad.status).toBe(422);
    expect((await call(putSettings, { method: "PUT", body: { scanIntervalMinutes: 60 }, token: admin })).status).toBe(
      200,
    );
    expect(await runScheduledRescans()).toBe(2);
    // Already queued: a second tick adds nothing.
    expect(await runScheduledRescans()).toBe(0);
    const scans = await getDb().scan.findMany({ where: { requestedBy: "schedule" } });
    expect(scans).toHaveLength(2);
    expect(await getDb().auditEvent.count({ where: { action: "settings.update" } })).toBe(1);
  });
});

describe("worker concurrency from settings", () => {
  it("the app's workers follow the concurrency an admin saves", async () => {
    const workers = await startScanWorkers({ concurrency: 32, followSettings: true, maintenanceMs: 100, pollMs: 100 });
    try {
      expect(workers.concurrency()).toBe(32);
      expect((await call(putSettings, { method: "PUT", body: { workerConcurrency: 7 }, token: admin })).status).toBe(
        200,
      );
      const deadline = Date.now() + 5000;
      while (workers.concurrency() !== 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(workers.concurrency()).toBe(7);
    } finally {
      await workers.stop();
    }
  });
});

describe("lost scans", () => {
  it("ends a scan whose queue job is gone as failed, keeping the host's earlier state", async () => {
    const host = await getDb().host.findFirstOrThrow({ where: { name: "sched-a" } });
    const lost = await getDb().scan.create({
      data: { hostId: host.id, status: "running", requestedBy: "test", createdAt: new Date(Date.now() - 10 * 60_000) },
    });
    expect(await reapLostScans()).toBeGreaterThanOrEqual(1);
    const ended = await getDb().scan.findUniqueOrThrow({ where: { id: lost.id } });
    expect(ended).toMatchObject({ status: "failed", errorClass: "timeout" });
    expect(ended.errorMessage).toMatch(/worker/);
  });
});

describe("batched result saves", () => {
  it("store scans that finish together in one go, and one refused row fails only its own scan", async () => {
    const hostIds: string[] = [];
    for (const [i, name] of ["batch-a", "batch-b", "batch-c", "batch-d"].entries()) {
      const res = await call(createHost, {
        body: { name, address: "127.0.0.1", port: 20 + i, username: "u", auth: { type: "agent" } },
        token: operator,
      });
      expect(res.status).toBe(201);
      hostIds.push(res.json.host.id);
    }
    const scans = await Promise.all(
      hostIds.map((hostId) =>
        getDb().scan.create({ data: { hostId, requestedBy: "test", status: "running" }, select: { id: true } }),
      ),
    );
    const profile = DEMO_FLEET.find((p) => p.name === "altra-max-01")!;
    const raw = simulatedDocument(profile, "tok");
    const derived = deriveFromProbe(raw, DEFAULT_GUEST_PROFILE, "tok");
    // PostgreSQL refuses NUL in text and JSON; the save after the first travels with it in the next batch.
    const outputs = [raw, raw, `${raw}\u0000`, raw];
    const results = await Promise.allSettled(
      scans.map((scan, i) =>
        saveScanResult({ scanId: scan.id, hostId: hostIds[i]!, previous: null, rawOutput: outputs[i]!, derived }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    const stored = await getDb().scan.findMany({
      where: { id: { in: scans.map((s) => s.id) } },
      select: { id: true, status: true, verdict: true },
    });
    const byId = new Map(stored.map((s) => [s.id, s]));
    expect(scans.map((s) => byId.get(s.id)?.status)).toEqual(["succeeded", "succeeded", "running", "succeeded"]);
    const hosts = await getDb().host.findMany({
      where: { id: { in: hostIds } },
      select: { id: true, currentScanId: true, verdict: true },
    });
    for (const [i, hostId] of hostIds.entries()) {
      const host = hosts.find((h) => h.id === hostId)!;
      expect(host.currentScanId).toBe(i === 2 ? null : scans[i]!.id);
      if (i !== 2) expect(host.verdict).toBe(derived.verdict);
    }
  });
});

describe("SSH slots", () => {
  it("a scan gives up its slot when its connection closes, while its result is still being stored", async () => {
    const client = generateKeyPair();
    const profile = DEMO_FLEET.find((p) => p.name === "grace-01")!;
    const sims = await Promise.all(
      [0, 1].map(() =>
        startSimHost({ respond: (token) => simulatedDocument(profile, token), authorizedKeys: [client.publicKey] }),
      ),
    );
    const [first, second] = sims as [SimHost, SimHost];
    const hostIds: string[] = [];
    for (const [i, sim] of sims.entries()) {
      const res = await call(createHost, {
        // Keys pinned up front: a first-use key is pinned on the Host row during the handshake, which the lock
        // below would hold up; this test is about the slot after the connection, not the pin before it.
        body: {
          name: `slot-${i}`,
          address: sim.host,
          port: sim.port,
          username: sim.username,
          auth: { type: "key", privateKey: client.privateKey },
          hostKeyFingerprint: sim.hostKeyFingerprint,
        },
        token: operator,
      });
      expect(res.status).toBe(201);
      hostIds.push(res.json.host.id);
    }
    // Hold the first host's row (as an UPDATE would; a new scan's foreign-key check still passes): its scan can
    // run over SSH but not store its result until the lock goes.
    let releaseLock!: () => void;
    const lockReleased = new Promise<void>((resolve) => (releaseLock = resolve));
    let locked!: () => void;
    const lockTaken = new Promise<void>((resolve) => (locked = resolve));
    const holder = getDb().$transaction(
      async (tx) => {
        await tx.$queryRaw`select id from "Host" where id = ${hostIds[0]} for no key update`;
        locked();
        await lockReleased;
      },
      { timeout: 30_000 },
    );
    await lockTaken;
    const workers = await startScanWorkers({ concurrency: 1, pollMs: 50, maintenanceMs: 60_000 });
    try {
      const firstScan = (await call(requestScan, { params: { id: hostIds[0] }, token: operator, method: "POST" })).json
        .scan.id as string;
      const deadline = Date.now() + 10_000;
      while (first.stats.execs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(first.stats.execs).toBe(1);
      const secondScan = (await call(requestScan, { params: { id: hostIds[1] }, token: operator, method: "POST" })).json
        .scan.id as string;
      // With one slot, the second host is reached only because the first scan's connection has closed; its
      // save is still waiting on the lock.
      while (second.stats.execs === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(second.stats.execs).toBe(1);
      expect((await getDb().scan.findUniqueOrThrow({ where: { id: firstScan } })).status).toBe("running");
      releaseLock();
      await holder;
      expect((await waitForScan(firstScan)).status).toBe("succeeded");
      expect((await waitForScan(secondScan)).status).toBe("succeeded");
    } finally {
      releaseLock();
      await holder.catch(() => undefined);
      await workers.stop();
      await Promise.all(sims.map((sim) => sim.close()));
    }
  });
});
