import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as fleetSummary } from "@/app/api/fleet/summary/route";
import { GET as listHosts, POST as createHost } from "@/app/api/hosts/route";
import { closeDb, getDb } from "@/lib/db";
import { PRUNE_LOCK, pruneHistory, type RetentionPolicy } from "@/lib/history/prune-history";
import { recordFailure } from "@/lib/scan/record-outcome";
import { ScanError } from "@/lib/ssh/errors";
import { call, resetDatabase, tokenFor } from "../support/api";
import { recordSimulatedScan } from "../support/seed-scan";

// Pruning on a seeded database: ~4,500 scans over four hosts, inserted with generate_series. The policy is checked
// against an independent model of it (the exact set of scan ids that must remain), not against the SQL itself.

let viewer: string;
const hostIds: Record<string, string> = {};

type Seed = { count: number; stepMinutes: number; driftEvery: number };

// Scan i (1..count) is i steps and 30 minutes old, so no scan sits on a whole-day age boundary. Every driftEvery-th
// has drift; among the rest, a JSON null or an empty list (no drift either) and every 7th failed.
async function seedHistory(hostId: string, { count, stepMinutes, driftEvery }: Seed) {
  await getDb().$executeRaw`
    insert into "Scan" (id, "hostId", status, "requestedBy", "createdAt", "startedAt", "finishedAt", "rawOutput", drift, verdict)
    select gen_random_uuid()::text, ${hostId}, (case when i % 7 = 0 then 'failed' else 'succeeded' end)::"ScanStatus",
      'seed', t, t, t, repeat('probe output ', 150),
      case when i % ${driftEvery} = 0 then '[{"field":"kernelRelease","from":"6.1","to":"6.6"}]'::jsonb
           when i % 11 = 0 then 'null'::jsonb when i % 13 = 0 then '[]'::jsonb end,
      'platform-ready'
    from generate_series(1, ${count}) i, lateral (select now() - make_interval(mins => i * ${stepMinutes} + 30) as t) at`;
}

async function register(name: string, simName: string, n: number) {
  const operator = await tokenFor("operator", `op-${n}`);
  const res = await call(createHost, {
    body: { name, address: `10.15.0.${n}`, username: "ops", auth: { type: "agent" } },
    token: operator,
  });
  hostIds[name] = res.json.host.id;
  await recordSimulatedScan(res.json.host.id, simName);
  return res.json.host.id as string;
}

type ScanRow = { id: string; hostId: string; createdAt: Date; status: string; drift: unknown };

// The policy as the issue states it, applied to a snapshot: per host, the newest N, those younger than D days, those
// with drift, the current and last scan and any queued/running scan.
async function expectedSurvivors(policy: RetentionPolicy): Promise<Set<string>> {
  const scans = await getDb().scan.findMany({
    select: { id: true, hostId: true, createdAt: true, status: true, drift: true },
  });
  const hosts = await getDb().host.findMany({ select: { id: true, currentScanId: true, lastScanId: true } });
  const ageLimit = Date.now() - policy.keepDays * 86_400_000;
  const keep = new Set<string>();
  for (const host of hosts) {
    const own = scans.filter((s: ScanRow) => s.hostId === host.id).sort((a, b) => +b.createdAt - +a.createdAt);
    own.forEach((s, rank) => {
      const drift = Array.isArray(s.drift) && s.drift.length > 0;
      const active = s.status === "queued" || s.status === "running";
      const pinned = s.id === host.currentScanId || s.id === host.lastScanId;
      if (rank < policy.keepScans || +s.createdAt > ageLimit || drift || active || pinned) keep.add(s.id);
    });
  }
  return keep;
}

const remainingIds = async () => new Set((await getDb().scan.findMany({ select: { id: true } })).map((s) => s.id));
const countFor = (name: string) => getDb().scan.count({ where: { hostId: hostIds[name] } });

async function fleetView() {
  const hosts = await call(listHosts, { path: "/api/hosts?pageSize=100", token: viewer });
  const summary = await call(fleetSummary, { path: "/api/fleet/summary", token: viewer });
  expect(hosts.status).toBe(200);
  expect(summary.status).toBe(200);
  return { hosts: hosts.json, summary: summary.json };
}

beforeAll(async () => {
  await resetDatabase();
  viewer = await tokenFor("viewer");
  // Hourly rescans for ~62 days, drift every 100th.
  await seedHistory(await register("hourly", "altra-max-01", 1), { count: 1500, stepMinutes: 60, driftEvery: 100 });
  // The current (last good) scan is older than everything else and has no drift; the last scan failed.
  const oldCurrent = await register("old-current", "ampereone-64k-01", 2);
  await seedHistory(oldCurrent, { count: 1000, stepMinutes: 180, driftEvery: 250 });
  const host = await getDb().host.findUniqueOrThrow({ where: { id: oldCurrent }, select: { currentScanId: true } });
  await getDb().scan.update({
    where: { id: host.currentScanId! },
    data: { createdAt: new Date(Date.now() - 400 * 86_400_000) },
  });
  const failed = await getDb().scan.create({ data: { hostId: oldCurrent, requestedBy: "test", status: "running" } });
  await recordFailure(failed.id, oldCurrent, new ScanError("timeout", "timed out"));
  // Fewer scans than N, all of them older than D.
  await seedHistory(await register("few", "altra-max-02", 3), { count: 10, stepMinutes: 7 * 1440, driftEvery: 1000 });
  // Every 30 minutes for ~42 days, and a scan still running although 90 days old.
  const busy = await register("busy", "x86-build-01", 4);
  await seedHistory(busy, { count: 2000, stepMinutes: 30, driftEvery: 500 });
  await getDb().scan.create({
    data: { hostId: busy, requestedBy: "test", status: "running", createdAt: new Date(Date.now() - 90 * 86_400_000) },
  });
});
afterAll(closeDb);

describe("history pruning", () => {
  it("keeps exactly the default policy's scans (last 20, 30 days, drift, current/last, active), in bounded batches", async () => {
    const before = await fleetView();
    const policy = { keepScans: 20, keepDays: 30 };
    const expected = await expectedSurvivors(policy);
    const total = await getDb().scan.count();
    const driftIds = (await getDb().scan.findMany({ select: { id: true, drift: true } }))
      .filter((s) => Array.isArray(s.drift) && s.drift.length > 0)
      .map((s) => s.id);
    expect(driftIds.length).toBe(15 + 4 + 0 + 4);

    const result = await pruneHistory(policy, { batchSize: 100, hostWindow: 3 });

    expect(result).toEqual({ deleted: total - expected.size, hosts: 4, complete: true, skipped: false });
    expect(result.deleted).toBeGreaterThan(1000);
    expect(await remainingIds()).toEqual(expected);
    for (const id of driftIds) expect(expected.has(id)).toBe(true);
    // hourly: scans 1..719 are younger than 30 days, plus its current scan, plus drift at 800, 900, …, 1500.
    expect(await countFor("hourly")).toBe(720 + 8);
    expect(await countFor("few")).toBe(11);
    expect(await fleetView()).toEqual(before);
  });

  it("a shorter policy keeps the newest N per host, drift and the pinned scans; the fleet page is unchanged", async () => {
    const before = await fleetView();
    const policy = { keepScans: 5, keepDays: 0 };
    const expected = await expectedSurvivors(policy);
    const result = await pruneHistory(policy, { batchSize: 1000 });
    expect(result.complete).toBe(true);
    expect(await remainingIds()).toEqual(expected);
    // hourly: the newest 5 (current + 1..4) and its 15 drift scans.
    expect(await countFor("hourly")).toBe(5 + 15);
    // old-current: the newest 5 (failed last + 1..4), drift at 250…1000, and the 400-day-old current scan.
    expect(await countFor("old-current")).toBe(5 + 4 + 1);
    expect(await getDb().scan.count({ where: { hostId: hostIds.busy, status: "running" } })).toBe(1);
    expect(await fleetView()).toEqual(before);
    expect(await pruneHistory(policy)).toMatchObject({ deleted: 0, complete: true });
  });

  it("runs one prune at a time and stops between statements when asked", async () => {
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("select pg_advisory_lock($1)", [PRUNE_LOCK]);
      expect(await pruneHistory({ keepScans: 1, keepDays: 0 })).toMatchObject({ skipped: true, deleted: 0 });
    } finally {
      await other.end();
    }
    const stopped = new AbortController();
    stopped.abort();
    expect(await pruneHistory({ keepScans: 1, keepDays: 0 }, { signal: stopped.signal })).toEqual({
      deleted: 0,
      hosts: 0,
      complete: false,
      skipped: false,
    });
  });
});
