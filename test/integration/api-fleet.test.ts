import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listHosts, POST as createHost } from "@/app/api/hosts/route";
import { GET as fleetSummary } from "@/app/api/fleet/summary/route";
import { GET as getHost } from "@/app/api/hosts/[id]/route";
import { closeDb, getDb } from "@/lib/db";
import { recordFailure } from "@/lib/scan/record-outcome";
import { recordSimulatedScan } from "../support/seed-scan";
import { ScanError } from "@/lib/ssh/errors";
import { call, resetDatabase, tokenFor } from "../support/api";
import { DEMO_FLEET } from "../support/sim-documents";

let operator: string;
const ids: Record<string, string> = {};

const profile = (name: string) => DEMO_FLEET.find((p) => p.name === name)!;

// Registers a host and records a successful scan of its simulated capture, as the worker would.
async function seedScanned(name: string, simName: string, address: string) {
  const sim = profile(simName);
  const res = await call(createHost, {
    body: { name, address, username: "ops", auth: { type: "agent" }, tags: sim.tags },
    token: operator,
  });
  const hostId = res.json.host.id as string;
  await recordSimulatedScan(hostId, simName);
  ids[name] = hostId;
  return hostId;
}

const names = (res: { json: Record<string, any> }) => res.json.hosts.map((h: { name: string }) => h.name);

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  await seedScanned("legacy-altra", "altra-max-01", "10.0.0.1"); // ready(-with-warnings), 4K
  await seedScanned("modern-altra", "altra-max-02", "10.0.0.2"); // platform-ready
  await seedScanned("one-64k", "ampereone-64k-02", "10.0.0.3"); // 64K pages
  await seedScanned("x86", "x86-build-01", "10.0.0.4"); // n/a
  await seedScanned("rpi4", "rpi4-01", "10.0.0.5"); // no GICv3
  const never = await call(createHost, {
    body: { name: "never-scanned", address: "10.0.0.6", username: "ops", auth: { type: "agent" } },
    token: operator,
  });
  ids["never-scanned"] = never.json.host.id;
  // A host whose last scan failed after a good one: stale, keeps its verdict.
  const failed = await getDb().scan.create({
    data: { hostId: ids["modern-altra"], requestedBy: "test", status: "running" },
    select: { id: true },
  });
  await recordFailure(failed.id, ids["modern-altra"], new ScanError("timeout", "timed out"));
  // An in-flight scan on one host.
  await getDb().scan.create({ data: { hostId: ids["rpi4"], requestedBy: "test", status: "queued" } });
});
afterAll(closeDb);

describe("GET /api/hosts filters", () => {
  it("filters by a verdict list, including never scanned", async () => {
    const all = await call(listHosts, { path: "/api/hosts?pageSize=100", token: operator });
    const verdictOf = Object.fromEntries(
      all.json.hosts.map((h: { name: string; verdict: string | null }) => [h.name, h.verdict]),
    );
    expect(verdictOf["x86"]).toBe("n/a");
    expect(verdictOf["never-scanned"]).toBeNull();
    const res = await call(listHosts, { path: "/api/hosts?verdict=n/a,never", token: operator });
    expect(names(res)).toEqual(["never-scanned", "x86"]);
    const only = await call(listHosts, {
      path: `/api/hosts?verdict=${encodeURIComponent(verdictOf["modern-altra"])}`,
      token: operator,
    });
    expect(names(only)).toContain("modern-altra");
    expect(only.json.hosts.every((h: { verdict: string }) => h.verdict === verdictOf["modern-altra"])).toBe(true);
  });

  it("rejects an unknown verdict with the field named", async () => {
    const res = await call(listHosts, { path: "/api/hosts?verdict=ready,great", token: operator });
    expect(res.status).toBe(422);
    expect(res.json.error.field).toBe("verdict");
  });

  it("filters by product, page size, CH version, platform class, stale and tag", async () => {
    const byPage = await call(listHosts, { path: "/api/hosts?hostPageSize=65536", token: operator });
    expect(names(byPage)).toEqual(["one-64k"]);
    const legacy = await call(listHosts, { path: "/api/hosts?chVersion=v22.1", token: operator });
    expect(names(legacy)).toEqual(["legacy-altra"]);
    const stale = await call(listHosts, { path: "/api/hosts?stale=true", token: operator });
    expect(names(stale)).toEqual(["modern-altra"]);
    const fresh = await call(listHosts, { path: "/api/hosts?stale=false", token: operator });
    expect(fresh.json.total).toBe(5);
    const rpi = (await call(listHosts, { path: "/api/hosts?q=rpi4", token: operator })).json.hosts[0];
    const byClass = await call(listHosts, { path: `/api/hosts?platformClass=${rpi.platformClass}`, token: operator });
    expect(names(byClass)).toContain("rpi4");
    expect(names(byClass)).not.toContain("legacy-altra");
    const product = (await call(listHosts, { path: "/api/hosts?q=one-64k", token: operator })).json.hosts[0]
      .product as string;
    const byProduct = await call(listHosts, {
      path: `/api/hosts?product=${encodeURIComponent(product)}`,
      token: operator,
    });
    expect(names(byProduct)).toEqual(["one-64k"]);
    const combined = await call(listHosts, { path: "/api/hosts?tag=altra&stale=false", token: operator });
    expect(names(combined)).toEqual(["legacy-altra"]);
    expect((await call(listHosts, { path: "/api/hosts?stale=maybe", token: operator })).status).toBe(422);
  });

  it("sorts by last scan status and shows in-flight scans per row", async () => {
    const res = await call(listHosts, { path: "/api/hosts?sort=lastScanStatus&pageSize=100", token: operator });
    expect(res.status).toBe(200);
    const statuses = res.json.hosts.map((h: { lastScanStatus: string | null }) => h.lastScanStatus);
    expect(statuses).toEqual(["succeeded", "succeeded", "succeeded", "succeeded", "failed", null]);
    const rpi = res.json.hosts.find((h: { name: string }) => h.name === "rpi4");
    expect(rpi.activeScan).toMatchObject({ status: "queued" });
    expect(typeof rpi.activeScan.id).toBe("string");
    expect(res.json.hosts.filter((h: { activeScan: unknown }) => h.activeScan !== null)).toHaveLength(1);
  });
});

describe("best zero-copy path", () => {
  it("stores the assessment's best path on the host, judged by the default profile", async () => {
    const rows = await getDb().host.findMany({
      select: { name: true, bestPath: true, guestProfileId: true, currentScan: { select: { assessment: true } } },
    });
    for (const row of rows) {
      const stored = (row.currentScan?.assessment as { bestPath?: string | null } | undefined)?.bestPath ?? null;
      expect(row.bestPath, row.name).toBe(stored);
      expect(row.guestProfileId, row.name).toBe(row.currentScan ? "default" : null);
    }
    // The legacy DAX-capable stack is the one host here with a path ready.
    expect(rows.find((r) => r.name === "legacy-altra")?.bestPath).toBe("virtiofs-dax");
    const dto = await call(listHosts, { path: "/api/hosts?q=legacy-altra", token: operator });
    expect(dto.json.hosts[0]).toMatchObject({
      bestPath: "virtiofs-dax",
      guestProfile: { id: "default", name: "default" },
    });
  });

  it("serves the current assessment's paths on GET /api/hosts/:id, and none for a host never scanned", async () => {
    const res = await call(getHost, {
      path: `/api/hosts/${ids["legacy-altra"]}`,
      params: { id: ids["legacy-altra"] },
      token: operator,
    });
    expect(res.status).toBe(200);
    const host = res.json.host;
    expect(host.bestPath).toBe("virtiofs-dax");
    expect(host.bestPathReason).toEqual(expect.any(String));
    expect(host.paths.map((p: { id: string }) => p.id).slice(0, 3)).toEqual(["virtiofs-dax", "pmem-dax", "ksm"]);
    const dax = host.paths.find((p: { id: string }) => p.id === "virtiofs-dax");
    expect(dax.verdict).toMatch(/^ready/);
    expect(dax.checks.length).toBeGreaterThan(0);
    expect(dax.config.host.join("\n")).toContain("dax=on");
    const never = await getDb().host.findFirstOrThrow({ where: { name: "never-scanned" } });
    const empty = await call(getHost, { path: `/api/hosts/${never.id}`, params: { id: never.id }, token: operator });
    expect(empty.json.host).toMatchObject({ bestPath: null, bestPathReason: null, paths: [] });
  });

  it("filters by best path; none means scanned without a path, never-scanned hosts excluded", async () => {
    const dax = await call(listHosts, { path: "/api/hosts?bestPath=virtiofs-dax", token: operator });
    expect(names(dax)).toEqual(["legacy-altra"]);
    const none = await call(listHosts, { path: "/api/hosts?bestPath=none", token: operator });
    expect(names(none)).toEqual(["modern-altra", "one-64k", "rpi4", "x86"]);
    const both = await call(listHosts, { path: "/api/hosts?bestPath=none,virtiofs-dax", token: operator });
    expect(both.json.total).toBe(5);
    const bad = await call(listHosts, { path: "/api/hosts?bestPath=dax", token: operator });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("bestPath");
  });

  it("sorts by best path with hosts without one last, either way", async () => {
    await getDb().host.update({ where: { id: ids["x86"] }, data: { bestPath: "ksm" } });
    try {
      const asc = await call(listHosts, { path: "/api/hosts?sort=bestPath&pageSize=100", token: operator });
      expect(names(asc).slice(0, 2)).toEqual(["x86", "legacy-altra"]);
      const desc = await call(listHosts, { path: "/api/hosts?sort=-bestPath&pageSize=100", token: operator });
      expect(names(desc).slice(0, 2)).toEqual(["legacy-altra", "x86"]);
    } finally {
      await getDb().host.update({ where: { id: ids["x86"] }, data: { bestPath: null } });
    }
  });

  it("summarises best paths over scanned hosts, ignoring its own filter but not the others", async () => {
    const all = await call(fleetSummary, { path: "/api/fleet/summary", token: operator });
    expect(all.json.bestPaths).toEqual([
      { key: null, count: 4 },
      { key: "virtiofs-dax", count: 1 },
    ]);
    const filtered = await call(fleetSummary, { path: "/api/fleet/summary?bestPath=none", token: operator });
    expect(filtered.json.total).toBe(4);
    expect(filtered.json.bestPaths).toEqual(all.json.bestPaths);
    const tagged = await call(fleetSummary, { path: "/api/fleet/summary?tag=altra", token: operator });
    expect(tagged.json.bestPaths.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(2);
  });
});

describe("GET /api/fleet/summary", () => {
  it("counts verdicts, stale, scanning and the chart buckets", async () => {
    const res = await call(fleetSummary, { path: "/api/fleet/summary", token: operator });
    expect(res.status).toBe(200);
    const s = res.json;
    expect(s.total).toBe(6);
    expect(s.verdicts.never).toBe(1);
    expect(s.verdicts["n/a"]).toBe(1);
    expect(Object.values(s.verdicts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(6);
    expect(Object.keys(s.verdicts).sort()).toEqual([
      "n/a",
      "never",
      "not-ready",
      "platform-ready",
      "ready",
      "ready-with-warnings",
      "unknown",
    ]);
    expect(s.stale).toBe(1);
    expect(s.scanning).toBe(1);
    expect(s.byPageSize).toContainEqual({ key: 65536, count: 1 });
    const pageSizes = (await call(listHosts, { path: "/api/hosts?pageSize=100", token: operator })).json.hosts.map(
      (h: { pageSize: number | null }) => h.pageSize,
    );
    expect(s.byPageSize).toContainEqual({
      key: null,
      count: pageSizes.filter((p: number | null) => p === null).length,
    });
    expect(s.byChVersion).toContainEqual({ key: "v22.1", count: 1 });
    for (const b of s.byKernelSeries) if (b.key !== null) expect(b.key).toMatch(/^\d+\.\d+$/);
    expect(s.byKernelSeries.reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(6);
    for (const chart of ["byProduct", "byCore", "byPlatformClass"]) {
      expect(s[chart].reduce((a: number, b: { count: number }) => a + b.count, 0)).toBe(6);
    }
  });

  it("applies the table's filters", async () => {
    const res = await call(fleetSummary, { path: "/api/fleet/summary?tag=altra", token: operator });
    expect(res.json.total).toBe(2);
    expect(res.json.stale).toBe(1);
    expect(res.json.verdicts.never).toBe(0);
  });
});
