import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { GET as getProfile, PUT as putProfile } from "@/app/api/settings/guest-profile/route";
import { closeDb, getDb } from "@/lib/db";
import { DEFAULT_GUEST_PROFILE, RULES_VERSION } from "@/lib/readiness";
import type { StoredAssessment } from "@/lib/scan/derive";
import { reassessFleet } from "@/lib/scan/reassess";
import { recordSimulatedScan } from "../support/seed-scan";
import { call, resetDatabase, tokenFor } from "../support/api";
import { startReassessWorkerForTest, waitForRun } from "../support/reassess-runs";

let admin: string;
let operator: string;
let stopWorker: () => Promise<void>;
const hostIds: Record<string, string> = {};

async function seedScanned(simName: string, i: number) {
  const res = await call(createHost, {
    body: { name: simName, address: `10.8.0.${i}`, username: "ops", auth: { type: "agent" } },
    token: operator,
  });
  const hostId = res.json.host.id as string;
  await recordSimulatedScan(hostId, simName);
  hostIds[simName] = hostId;
}

async function current(name: string) {
  const host = await getDb().host.findUniqueOrThrow({
    where: { id: hostIds[name] },
    select: { verdict: true, currentScan: { select: { assessment: true, verdict: true, rulesVersion: true } } },
  });
  const a = host.currentScan!.assessment as unknown as StoredAssessment;
  return {
    hostVerdict: host.verdict,
    scanVerdict: host.currentScan!.verdict,
    rulesVersion: host.currentScan!.rulesVersion,
    assessment: a,
  };
}

const scanCount = () => getDb().scan.count();

beforeAll(async () => {
  await resetDatabase();
  admin = await tokenFor("admin");
  operator = await tokenFor("operator");
  await seedScanned("altra-max-01", 1); // legacy DAX-capable stack, 4K host
  await seedScanned("ampereone-64k-01", 2); // legacy stack, 64K host
  await seedScanned("altra-max-02", 3); // modern CH: platform-ready
  stopWorker = await startReassessWorkerForTest();
});
afterAll(async () => {
  await stopWorker();
  await closeDb();
});

// PUT the default profile and wait for the background re-assessment it queued.
async function saveDefault(body: unknown) {
  const res = await call(putProfile, { method: "PUT", body, token: admin });
  expect(res.status).toBe(200);
  return { res, run: await waitForRun(admin, res.json.run.id) };
}

describe("guest profile settings", () => {
  it("returns the defaults until an admin saves one; only admins may save", async () => {
    const res = await call(getProfile, { path: "/api/settings/guest-profile", token: operator });
    expect(res.status).toBe(200);
    expect(res.json.profile).toEqual(DEFAULT_GUEST_PROFILE);
    const denied = await call(putProfile, { method: "PUT", body: DEFAULT_GUEST_PROFILE, token: operator });
    expect(denied.status).toBe(403);
    const bad = await call(putProfile, {
      method: "PUT",
      body: { ...DEFAULT_GUEST_PROFILE, pageSize: 8192 },
      token: admin,
    });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("pageSize");
  });

  it("re-assesses the default profile's hosts in the background without a scan: a guest .config without FUSE_DAX blocks DAX", async () => {
    const before = await current("altra-max-01");
    expect(before.hostVerdict).toMatch(/^ready/);
    const scans = await scanCount();
    const config =
      "CONFIG_FUSE_FS=y\nCONFIG_VIRTIO_FS=y\n# CONFIG_FUSE_DAX is not set\nCONFIG_DAX=y\nCONFIG_FS_DAX=y\nCONFIG_ZONE_DEVICE=y\n";
    const { res, run } = await saveDefault({ ...DEFAULT_GUEST_PROFILE, kernelConfig: config });
    expect(res.json.profile.kernelConfig).toBe(config);
    expect(res.json.run.status).toBe("queued");
    expect(run).toMatchObject({ status: "succeeded", total: 3, done: 3, error: null });
    expect(run.verdictChanged).toBeGreaterThanOrEqual(1);
    const after = await current("altra-max-01");
    expect(after.hostVerdict).toBe("platform-ready");
    expect(after.scanVerdict).toBe("platform-ready");
    const guest = after.assessment.checks.find((c) => c.id.startsWith("guest.") && c.status === "FAIL");
    expect(guest?.reason).toMatch(/FUSE_DAX/);
    expect(await scanCount()).toBe(scans);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "guest-profile.update" } });
    expect(JSON.stringify(audit.detail)).not.toContain("CONFIG_FUSE_FS");
  });

  it("a 64K-page guest changes the recommended cache_size and the verdicts, without a scan", async () => {
    await saveDefault(DEFAULT_GUEST_PROFILE);
    const small = await current("ampereone-64k-01");
    const fourK = await current("altra-max-01");
    expect(fourK.hostVerdict).toMatch(/^ready/);
    await saveDefault({ ...DEFAULT_GUEST_PROFILE, pageSize: 65536, ramMiB: 8192 });
    const big = await current("ampereone-64k-01");
    expect(big.assessment.cacheSize?.bytes).not.toBe(small.assessment.cacheSize?.bytes);
    // the 4K host's report is re-derived too (its cache_size arithmetic uses the guest page size)
    const fourKAfter = await current("altra-max-01");
    expect(fourKAfter.assessment).not.toEqual(fourK.assessment);
    const hostRow = await getDb().host.findUniqueOrThrow({
      where: { id: hostIds["ampereone-64k-01"] },
      select: { verdict: true },
    });
    expect(hostRow.verdict).toBe(big.scanVerdict);
  });
});

describe("reassessFleet({ onlyOutdatedRulesVersion })", () => {
  it("re-derives only scans assessed by another rules version", async () => {
    await getDb().scan.updateMany({
      where: { hostId: hostIds["altra-max-02"] },
      data: { rulesVersion: "0-old", verdict: "unknown" },
    });
    await getDb().host.update({ where: { id: hostIds["altra-max-02"] }, data: { verdict: "unknown" } });
    const result = await reassessFleet({ onlyOutdatedRulesVersion: true });
    expect(result.hosts).toBe(1);
    const after = await current("altra-max-02");
    expect(after).toMatchObject({
      hostVerdict: "platform-ready",
      scanVerdict: "platform-ready",
      rulesVersion: RULES_VERSION,
    });
    expect((await reassessFleet({ onlyOutdatedRulesVersion: true })).hosts).toBe(0);
  });

  it("re-parses the stored raw output, so parser fixes reach stored hosts without a rescan", async () => {
    const id = hostIds["altra-max-01"];
    const scan = await getDb().scan.findFirstOrThrow({ where: { hostId: id }, select: { id: true, facts: true } });
    // Facts stored by an older parser that read the page size wrong.
    await getDb().$executeRaw`
      update "Scan" set facts = jsonb_set(facts, '{pageSize,value}', '65536'), "rulesVersion" = '0-old'
      where id = ${scan.id}`;
    const scans = await scanCount();
    expect((await reassessFleet({ onlyOutdatedRulesVersion: true })).hosts).toBe(1);
    const after = await getDb().scan.findUniqueOrThrow({ where: { id: scan.id }, select: { facts: true } });
    expect(after.facts).toEqual(scan.facts);
    expect((await current("altra-max-01")).assessment.facts.pageSize).toBe(4096);
    expect(await scanCount()).toBe(scans);
  });

  it("without raw output, re-derives from the stored facts, filling facts they predate as not collected", async () => {
    const id = hostIds["altra-max-02"];
    const scan = await getDb().scan.findFirstOrThrow({ where: { hostId: id }, select: { id: true } });
    await getDb().$executeRaw`
      update "Scan" set "rawOutput" = null, facts = (facts - 'ksm') - 'kata', "rulesVersion" = '0-old'
      where id = ${scan.id}`;
    expect((await reassessFleet({ onlyOutdatedRulesVersion: true })).hosts).toBe(1);
    const after = await current("altra-max-02");
    expect(after).toMatchObject({ hostVerdict: "platform-ready", rulesVersion: RULES_VERSION });
    const stored = await getDb().scan.findUniqueOrThrow({ where: { id: scan.id }, select: { facts: true } });
    expect(stored.facts).not.toHaveProperty("ksm");
  });

  it("walks the fleet in batches", async () => {
    expect((await reassessFleet({ batchSize: 1 })).hosts).toBe(3);
  });
});
