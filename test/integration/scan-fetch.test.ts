import { describe, expect, it } from "vitest";
import { POST as bulkScan } from "@/app/api/scans/route";
import { getDb } from "@/lib/db";
import { getBoss } from "@/lib/scan/queue";
import { startScanWorkers } from "@/lib/scan/worker";
import { call } from "../support/api";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { generateKeyPair, startSimFleet, startSimHost, type SimHost } from "../support/sim-fleet";
import { registerSimHost } from "../support/register-sim-host";
import { scanSuite } from "../support/scan-suite";
import { waitForScan } from "../support/scan-helpers";

// The worker's fetch loop (lib/scan/worker.ts): a pg-boss fetch is a statement PostgreSQL parses and plans each
// time, whatever it returns, so the loop avoids fetches that can only come back empty; and it claims a few scans
// ahead of its SSH slots, never opening more connections than its concurrency.
const GRACE = DEMO_FLEET.find((p) => p.name === "grace-01")!;
const doc = (token: string) => simulatedDocument(GRACE, token);

const suite = scanSuite();
const { sims } = suite;

describe("queue fetches", () => {
  it("a worker that found the queue empty does not fetch again for every scan that ends", async () => {
    const client = generateKeyPair();
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const sim = await startSimHost({
        respond: doc,
        authorizedKeys: [client.publicKey],
        probeDelayMs: 100 + 50 * (i % 3),
      });
      sims.push(sim);
      ids.push(await registerSimHost(suite.operator, `fetch-${i}`, sim, client.privateKey));
    }
    // Every fetch the worker makes, with how many jobs it got and how many scans were running.
    const boss = await getBoss();
    const fetch = boss.fetch.bind(boss);
    const fetches: { jobs: number; running: number }[] = [];
    // No poll ticks during the test: the request wakes the workers in this process.
    const workers = await startScanWorkers({ concurrency: 3, pollMs: 60_000, maintenanceMs: 60_000 });
    boss.fetch = (async (...args: Parameters<typeof fetch>) => {
      const jobs = await fetch(...args);
      fetches.push({ jobs: jobs.length, running: workers.inFlight() });
      return jobs;
    }) as typeof boss.fetch;
    try {
      const res = await call(bulkScan, { body: { hostIds: ids }, token: suite.operator });
      const scans = await Promise.all((res.json.scans as { id: string }[]).map((s) => waitForScan(s.id)));
      expect(scans.map((s) => s.status)).toEqual(Array(9).fill("succeeded"));
      expect(fetches.reduce((sum, f) => sum + f.jobs, 0)).toBe(9);
      // Once the queue is found empty the last scans end without a fetch each (at most one more, after a part batch).
      expect(fetches.filter((f) => f.jobs === 0).length).toBeLessThanOrEqual(2);
    } finally {
      boss.fetch = fetch;
      await workers.stop();
    }
  });

  it("a busy worker fetches a batch once half its scans claimed ahead are used, not one job per scan that ends", async () => {
    const fleet = await startSimFleet(120, (i) => ({ respond: doc, probeDelayMs: 40 + 30 * (i % 5) }));
    sims.push(...fleet.hosts);
    const ids: string[] = [];
    for (const [i, sim] of fleet.hosts.entries()) {
      ids.push(await registerSimHost(suite.operator, `batch-${i}`, sim, fleet.clientKey.privateKey));
    }
    const boss = await getBoss();
    const fetch = boss.fetch.bind(boss);
    // How many jobs each fetch asked for.
    const asked: number[] = [];
    boss.fetch = (async (...args: Parameters<typeof fetch>) => {
      asked.push((args[1] as { batchSize: number }).batchSize);
      return fetch(...args);
    }) as typeof boss.fetch;
    // Concurrency 40 claims up to 10 scans ahead: a fetch waits for at least 5 free places.
    const workers = await startScanWorkers({ concurrency: 40, pollMs: 60_000, maintenanceMs: 60_000 });
    try {
      const res = await call(bulkScan, { body: { hostIds: ids }, token: suite.operator });
      const scans = await Promise.all((res.json.scans as { id: string }[]).map((s) => waitForScan(s.id)));
      expect(scans.map((s) => s.status)).toEqual(Array(120).fill("succeeded"));
      expect(asked.length).toBeGreaterThan(2);
      expect(Math.min(...asked)).toBeGreaterThanOrEqual(5);
    } finally {
      boss.fetch = fetch;
      await workers.stop();
    }
  });
});

describe("SSH slots and scans claimed ahead", () => {
  it("never more probes running than the concurrency, with up to a quarter more scans claimed ahead", async () => {
    const client = generateKeyPair();
    // Probes running on the hosts right now: a probe starts at its exec and answers DELAY_MS later; the worker's
    // next connection can only start after an answer is read, so this counts SSH slots in use.
    const DELAY_MS = 250;
    let probing = 0;
    let maxProbing = 0;
    const respond = (token: string) => {
      maxProbing = Math.max(maxProbing, ++probing);
      setTimeout(() => probing--, DELAY_MS - 20);
      return doc(token);
    };
    const ids: string[] = [];
    const simOf = new Map<string, SimHost>();
    for (let i = 0; i < 8; i++) {
      const sim = await startSimHost({ respond, authorizedKeys: [client.publicKey], probeDelayMs: DELAY_MS });
      sims.push(sim);
      const id = await registerSimHost(suite.operator, `slot-${i}`, sim, client.privateKey);
      ids.push(id);
      simOf.set(id, sim);
    }
    const workers = await startScanWorkers({ concurrency: 2, pollMs: 100, maintenanceMs: 60_000 });
    // Seen at least once: both slots probing while another scan is already claimed (running) but not connected.
    let claimedAhead = false;
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const running = await getDb().scan.findMany({
          where: { hostId: { in: ids }, status: "running" },
          select: { hostId: true },
        });
        const waiting = running.filter((s) => simOf.get(s.hostId)!.stats.execs === 0).length;
        if (probing === 2 && waiting > 0) claimedAhead = true;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      const res = await call(bulkScan, { body: { hostIds: ids }, token: suite.operator });
      const scans = await Promise.all((res.json.scans as { id: string }[]).map((s) => waitForScan(s.id)));
      expect(scans.map((s) => s.status)).toEqual(Array(8).fill("succeeded"));
    } finally {
      watching = false;
      await watch;
      await workers.stop();
    }
    expect(maxProbing).toBe(2);
    expect(claimedAhead).toBe(true);
  });
});
