import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { GET as exportCsv } from "@/app/api/export.csv/route";
import { GET as exportJson } from "@/app/api/export.json/route";
import { closeDb, getDb } from "@/lib/db";
import { recordSimulatedScan } from "../support/seed-scan";
import { call, resetDatabase, tokenFor } from "../support/api";

let operator: string;
let viewer: string;

async function register(name: string, address: string, tags: string[]) {
  const res = await call(createHost, {
    body: { name, address, username: "ops", auth: { type: "agent" }, tags },
    token: operator,
  });
  expect(res.status).toBe(201);
  return res.json.host.id as string;
}

const scanAs = recordSimulatedScan;

// Names and tags a spreadsheet would run as formulas. Host names allow tab and CR (control characters are
// refused), so those two are put at the start of tags... which refuse them too; they reach cells via the name.
const HOSTILE = [
  { name: '=HYPERLINK("http://evil","x")', tags: ["=cmd|'/C'!A0"] },
  { name: "+SUM(1,2)", tags: ["+1"] },
  { name: "-2+3", tags: ["-rf"] },
  { name: "@SUM(A1)", tags: ["@home"] },
];

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  viewer = await tokenFor("viewer");
  for (const [i, h] of HOSTILE.entries()) await register(h.name, `10.7.0.${i + 1}`, h.tags);
  // Tab and CR at the start of a value: host names refuse control characters, so write them the way an old row or
  // a direct database edit could hold them — the export must still neutralize them.
  const tab = await register("tab-host", "10.7.0.10", ["plain"]);
  const cr = await register("cr-host", "10.7.0.11", ["plain"]);
  await getDb().host.update({ where: { id: tab }, data: { name: "\tTAB" } });
  await getDb().host.update({ where: { id: cr }, data: { name: "\rCR", tags: ["\rtag"] } });
  const legacy = await register('legacy-altra, "quoted" — ünïcode', "10.7.0.20", ["altra", "legacy-stack"]);
  await scanAs(legacy, "altra-max-01");
});
afterAll(closeDb);

// The legacy host's stored assessment: the export must carry its paths as judged, not re-derive them.
async function storedPaths() {
  const scan = await getDb().scan.findFirstOrThrow({ where: { status: "succeeded" }, select: { assessment: true } });
  return scan.assessment as unknown as { bestPath: string | null; paths: { id: string; verdict: string }[] };
}

const parseCsv = (text: string) =>
  parse(text, { bom: true, columns: true, relax_quotes: false }) as Record<string, string>[];

describe("GET /api/export.csv", () => {
  it("streams an RFC 4180 UTF-8 attachment with a dated file name", async () => {
    const res = await call(exportCsv, { path: "/api/export.csv", token: viewer });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="daxboard-hosts-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.text.split("\r\n")[0]).toContain(
      "name,address,port,user,tags,verdict,best_path,path_virtiofs_dax,path_pmem_dax,path_ksm,platform_class,product,cores",
    );
    const rows = parseCsv(res.text);
    expect(rows).toHaveLength(7);
  });

  it("neutralizes formula injection in names and tags, parsed back with a real CSV parser", async () => {
    const rows = parseCsv((await call(exportCsv, { path: "/api/export.csv", token: viewer })).text);
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const h of HOSTILE) {
      const row = byName.get(`'${h.name}`);
      expect(row, h.name).toBeDefined();
      expect(row!.tags).toBe(`'${h.tags[0]}`);
    }
    expect(byName.get("'\tTAB")).toBeDefined();
    expect(byName.get("'\rCR")?.tags).toBe("'\rtag");
    for (const r of rows) {
      for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it("writes the current scan's facts, checks and cache_size for a scanned host", async () => {
    const rows = parseCsv((await call(exportCsv, { path: "/api/export.csv", token: viewer })).text);
    const row = rows.find((r) => r.name.startsWith("legacy-altra"))!;
    expect(row.name).toBe('legacy-altra, "quoted" — ünïcode');
    expect(row.tags).toBe("altra legacy-stack");
    expect(row.verdict).toMatch(/^ready/);
    expect(row.arch).toBe("aarch64");
    expect(row.page_size).toBe("4096");
    expect(row.ch_version).toBe("v22.1");
    expect(row.ch_dax).toBe("yes");
    expect(row.kvm).toBe("usable");
    expect(row.gic).toBe("v3");
    expect(row.ipa_bits).toBe("44");
    expect(row.virtiofsd).toContain("1.10.1");
    expect(Number(row.cache_size_bytes)).toBeGreaterThan(0);
    expect(row.cache_size).toMatch(/[KMG]/);
    expect(row.cores).toMatch(/x\d+/);
    expect(row.last_scanned).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(row.scan_status).toBe("succeeded");
    expect(row.stale).toBe("false");
    // The zero-copy paths as the stored assessment judged them.
    const stored = await storedPaths();
    expect(row.best_path).toBe(stored.bestPath ?? "none");
    expect(row.best_path).toBe("virtiofs-dax");
    expect([row.path_virtiofs_dax, row.path_pmem_dax, row.path_ksm]).toEqual(
      ["virtiofs-dax", "pmem-dax", "ksm"].map((id) => stored.paths.find((p) => p.id === id)!.verdict),
    );
    const never = rows.find((r) => r.name === "'+SUM(1,2)")!;
    expect([never.best_path, never.path_virtiofs_dax, never.path_pmem_dax, never.path_ksm]).toEqual(["", "", "", ""]);
    expect(never.verdict).toBe("never");
    expect(never.scan_status).toBe("never");
    expect(never.cache_size).toBe("");
  });

  it("takes the table's filters and refuses bad ones", async () => {
    const rows = parseCsv((await call(exportCsv, { path: "/api/export.csv?tag=altra", token: viewer })).text);
    expect(rows.map((r) => r.name)).toEqual(['legacy-altra, "quoted" — ünïcode']);
    const never = parseCsv((await call(exportCsv, { path: "/api/export.csv?verdict=never", token: viewer })).text);
    expect(never).toHaveLength(6);
    const dax = parseCsv(
      (await call(exportCsv, { path: "/api/export.csv?bestPath=virtiofs-dax", token: viewer })).text,
    );
    expect(dax.map((r) => r.name)).toEqual(['legacy-altra, "quoted" — ünïcode']);
    const bad = await call(exportCsv, { path: "/api/export.csv?stale=perhaps", token: viewer });
    expect(bad.status).toBe(422);
    expect((await call(exportCsv, { path: "/api/export.csv" })).status).toBe(401);
  });
});

describe("GET /api/export.json", () => {
  it("streams {exportedAt, hosts} with typed rows", async () => {
    const res = await call(exportJson, { path: "/api/export.json", token: viewer });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/filename="daxboard-hosts-\d{4}-\d{2}-\d{2}\.json"/);
    expect(res.json.exportedAt).toMatch(/Z$/);
    expect(res.json.hosts).toHaveLength(7);
    const legacy = res.json.hosts.find((h: { name: string }) => h.name.startsWith("legacy-altra"));
    expect(Object.keys(legacy)).toEqual([
      "name",
      "address",
      "port",
      "user",
      "tags",
      "verdict",
      "bestPath",
      "paths",
      "platformClass",
      "product",
      "cores",
      "cpuCount",
      "arch",
      "kernel",
      "pageSize",
      "ipaBits",
      "kvm",
      "gic",
      "chVersion",
      "chDax",
      "virtiofsd",
      "cacheSizeBytes",
      "cacheSize",
      "failingChecks",
      "warningChecks",
      "lastScannedAt",
      "scanStatus",
      "lastErrorClass",
      "stale",
    ]);
    expect(legacy).toMatchObject({
      pageSize: 4096,
      chVersion: "v22.1",
      chDax: true,
      gic: 3,
      ipaBits: 44,
      stale: false,
      scanStatus: "succeeded",
    });
    expect(legacy.kvm).toEqual({ present: true, readable: true, writable: true });
    const stored = await storedPaths();
    expect(legacy.bestPath).toBe(stored.bestPath);
    expect(legacy.paths).toEqual(Object.fromEntries(stored.paths.map((p) => [p.id, p.verdict])));
    expect(Object.keys(legacy.paths)).toEqual(expect.arrayContaining(["virtiofs-dax", "pmem-dax", "ksm"]));
    const never = res.json.hosts.find((h: { name: string }) => h.name === "+SUM(1,2)");
    expect(never).toMatchObject({ bestPath: null, paths: {} });
    expect(legacy.cacheSizeBytes).toBeGreaterThan(0);
    expect(Array.isArray(legacy.failingChecks)).toBe(true);
    // JSON carries values verbatim: neutralization is for spreadsheets only.
    expect(res.json.hosts.map((h: { name: string }) => h.name)).toContain('=HYPERLINK("http://evil","x")');
  });

  it("is an empty list when nothing matches", async () => {
    const res = await call(exportJson, { path: "/api/export.json?tag=nothing-here", token: viewer });
    expect(res.json.hosts).toEqual([]);
  });
});
