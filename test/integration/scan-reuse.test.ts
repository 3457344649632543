import { describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as bulkScan } from "@/app/api/scans/route";
import { getDb } from "@/lib/db";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness";
import { deriveFromProbe, deriveRescan, isReused, type ReusedDerivation } from "@/lib/scan/derive";
import { claimScan, saveScanResult } from "@/lib/scan/scan-store";
import { startScanWorkers } from "@/lib/scan/worker";
import { call } from "../support/api";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { generateKeyPair, startSimHost } from "../support/sim-fleet";
import { recordDocumentScan } from "../support/seed-scan";
import { registerSimHost } from "../support/register-sim-host";
import { scanSuite } from "../support/scan-suite";
import { waitForScan } from "../support/scan-helpers";

// A rescan whose facts judge exactly as the host's current scan's did copies that scan's assessment in the
// database instead of judging and sending it again (lib/scan/derive.ts deriveRescan, scan-store.ts SAVE_SQL).
// The copy must be exactly what a full judgement would store, and a copy that can no longer be made (the current
// scan was re-assessed or replaced since the claim) must fall back to a full judgement, never to a lost scan.
const ALTRA = DEMO_FLEET.find((p) => p.name === "altra-max-02")!;
const doc = (token: string, runtimeMs: number) =>
  simulatedDocument(ALTRA, token).replace(
    `--${token}--\n`,
    `--${token} probe-runtime rc=0\nelapsed_ms=${runtimeMs}\n--${token}--\n`,
  );

const suite = scanSuite();
const { sims } = suite;

let port = 9;
async function hostWithScan(name: string) {
  // A loopback port nothing listens on: these hosts are never connected to, their scans are recorded directly.
  const res = await call(createHost, {
    body: { name, address: "127.0.0.1", port: port++, username: "u", auth: { type: "agent" } },
    token: suite.operator,
  });
  expect(res.status).toBe(201);
  const hostId = res.json.host.id as string;
  const first = await recordDocumentScan(hostId, doc("tok", 640));
  return { hostId, first };
}

// What the worker does between the SSH exec and the save, for a scan it claimed: a rescan derivation whose full
// judgement is counted.
async function rescan(hostId: string, runtimeMs: number) {
  const scan = await getDb().scan.create({ data: { hostId, requestedBy: "test" }, select: { id: true } });
  const claimed = (await claimScan(scan.id))!;
  const derived = deriveRescan(doc("tok", runtimeMs), DEFAULT_GUEST_PROFILE, "tok", claimed.current);
  let judged = 0;
  if (isReused(derived)) {
    const derive = derived.derive;
    derived.derive = () => {
      judged++;
      return derive();
    };
  }
  const save = () =>
    saveScanResult({
      scanId: scan.id,
      hostId,
      previous: claimed.current,
      rawOutput: derived.rawOutput,
      derived,
      guestProfileId: "default",
    });
  return { scanId: scan.id, derived, save, judged: () => judged };
}

const stored = (id: string) => getDb().scan.findUniqueOrThrow({ where: { id } });
const hostRow = (id: string) =>
  getDb().host.findUniqueOrThrow({
    where: { id },
    select: {
      currentScanId: true,
      verdict: true,
      product: true,
      core: true,
      pageSize: true,
      chVersion: true,
      platformClass: true,
      kernelRelease: true,
      bestPath: true,
      guestProfileId: true,
    },
  });

describe("rescans with unchanged facts", () => {
  it("copy the current assessment without judging, and store the new run's own facts and output", async () => {
    const { hostId, first } = await hostWithScan("steady");
    const firstScanId = (await hostRow(hostId)).currentScanId!;
    const before = await hostRow(hostId);
    const r = await rescan(hostId, 655);
    expect(isReused(r.derived)).toBe(true);
    await r.save();
    expect(r.judged()).toBe(0);
    const scan = await stored(r.scanId);
    expect(scan.status).toBe("succeeded");
    expect(scan.assessment).toEqual(first.assessment);
    expect(scan.assessment).toEqual((await stored(firstScanId)).assessment);
    expect(scan.assessmentKey).toBe(first.assessmentKey);
    expect(scan.verdict).toBe(first.verdict);
    expect(scan.drift).toBeNull();
    // The facts are this run's (its own run time), stored whole.
    expect((scan.facts as { probeRuntimeMs: { value: number } }).probeRuntimeMs.value).toBe(655);
    expect(scan.facts).toEqual(JSON.parse(JSON.stringify(r.derived.facts)));
    expect(scan.rawOutput).toContain("elapsed_ms=655");
    expect(await hostRow(hostId)).toEqual({ ...before, currentScanId: r.scanId });
  });

  it("judge in full when the current scan was re-assessed between the claim and the save", async () => {
    const { hostId, first } = await hostWithScan("reassessed");
    const r = await rescan(hostId, 700);
    expect(isReused(r.derived)).toBe(true);
    // A re-assessment under another profile rewrote the current scan meanwhile.
    const current = (await hostRow(hostId)).currentScanId!;
    await getDb().scan.update({
      where: { id: current },
      data: { assessment: { verdict: "not-ready", rewritten: true }, assessmentKey: "another-judgement" },
    });
    await r.save();
    expect(r.judged()).toBe(1);
    const scan = await stored(r.scanId);
    expect(scan.status).toBe("succeeded");
    expect(scan.assessment).toEqual(first.assessment);
    expect(scan.assessmentKey).toBe(first.assessmentKey);
    expect((await hostRow(hostId)).currentScanId).toBe(r.scanId);
  });

  it("judge in full when another scan became the host's current one meanwhile", async () => {
    const { hostId } = await hostWithScan("replaced");
    const r = await rescan(hostId, 710);
    // A scan of other facts (CH v22.1) lands first: stored succeeded and made the host's current one.
    const other = DEMO_FLEET.find((p) => p.name === "altra-max-01")!;
    const landed = deriveFromProbe(simulatedDocument(other, "tok"), DEFAULT_GUEST_PROFILE, "tok");
    const landedScan = await getDb().scan.create({
      data: {
        hostId,
        requestedBy: "test",
        status: "succeeded",
        finishedAt: new Date(),
        facts: landed.facts as object,
        assessment: landed.assessment as object,
        assessmentKey: landed.assessmentKey,
        verdict: landed.verdict,
      },
    });
    await getDb().host.update({
      where: { id: hostId },
      data: { currentScanId: landedScan.id, verdict: landed.verdict, ...landed.summary },
    });
    expect((await hostRow(hostId)).chVersion).toBe("v22.1");
    await r.save();
    expect(r.judged()).toBe(1);
    const scan = await stored(r.scanId);
    const full = (r.derived as ReusedDerivation).derive();
    expect(scan.assessment).toEqual(full.assessment);
    expect(scan.assessmentKey).not.toBe(landed.assessmentKey);
    // The host now shows this scan's own judgement (CH v41), not the copied or the landed one's summary.
    expect(await hostRow(hostId)).toMatchObject({
      currentScanId: r.scanId,
      chVersion: "v41.0.0",
      verdict: full.verdict,
    });
  });
});

describe("through the worker", () => {
  it("hosts rescanned together store assessments equal to their first, with each run's own facts", async () => {
    const client = generateKeyPair();
    let runtime = 500;
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const sim = await startSimHost({ respond: (token) => doc(token, runtime++), authorizedKeys: [client.publicKey] });
      sims.push(sim);
      ids.push(await registerSimHost(suite.operator, `worker-${i}`, sim, client.privateKey, { tags: ["reuse"] }));
    }
    const workers = await startScanWorkers({ concurrency: 4, pollMs: 100, maintenanceMs: 60_000 });
    try {
      const scanAll = async () => {
        const res = await call(bulkScan, { body: { hostIds: ids }, token: suite.operator });
        expect(res.status).toBe(202);
        const scans = res.json.scans as { id: string }[];
        expect(scans).toHaveLength(ids.length);
        return Promise.all(scans.map((s) => waitForScan(s.id)));
      };
      const firsts = await scanAll();
      const seconds = await scanAll();
      expect(seconds).toHaveLength(4);
      for (const second of seconds) {
        const first = firsts.find((f) => f.hostId === second.hostId)!;
        expect(second.status).toBe("succeeded");
        expect(second.id).not.toBe(first.id);
        expect(second.assessment).toEqual(first.assessment);
        expect(second.assessmentKey).toBe(first.assessmentKey);
        const runtimes = [first, second].map((s) => (s.facts as { probeRuntimeMs: { value: number } }).probeRuntimeMs);
        expect(runtimes[0]!.value).not.toBe(runtimes[1]!.value);
        expect((await hostRow(second.hostId)).currentScanId).toBe(second.id);
      }
    } finally {
      await workers.stop();
    }
  });
});
