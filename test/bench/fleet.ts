// Bench: the fleet API and the CSV export on 10,000 seeded hosts (and the export on 100,000), in-process through
// the route handlers against a temporary database on DATABASE_URL's server. Hosts carry real facts and
// assessments derived from the captures (DEMO_FLEET profiles, round-robin), copied in SQL for speed.
// Prints `bench <name> <value> <unit>` lines. Targets: API p95 < 100 ms; 100k CSV RSS growth < 100 MB.
import { pathToFileURL } from "node:url";
import { NextRequest } from "next/server";
import pg from "pg";
import { createApiToken } from "../../lib/auth/api-tokens";
import { closeDb } from "../../lib/db";
import { deployMigrations } from "../../lib/db/migrate";
import { createTemporaryDatabase } from "../../lib/db/temp-database";
import { DEFAULT_GUEST_PROFILE } from "../../lib/readiness";
import { deriveFromProbe } from "../../lib/scan/derive";
import { reassessFleet } from "../../lib/scan/reassess";
import { GET as exportCsv } from "../../app/api/export.csv/route";
import { GET as fleetSummary } from "../../app/api/fleet/summary/route";
import { apiRoute } from "../../lib/api/route";
import { listHosts as listHostsPage, listHostsQuery } from "../../lib/hosts/list-hosts";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

// app/api/hosts/route.ts also registers hosts, and lib/hosts/host-input.ts imports `{ utils }` from ssh2 by name,
// which Node's ESM loader (tsx) refuses for that CommonJS module. Use the real route when it loads, else the same
// apiRoute + listHosts composition it is made of.
async function hostsListHandler(): Promise<Handler> {
  try {
    return (await import("../../app/api/hosts/route")).GET;
  } catch {
    return apiRoute({ role: "viewer" }, async ({ req }) =>
      listHostsPage(listHostsQuery.parse(Object.fromEntries(req.nextUrl.searchParams))),
    );
  }
}

const SERVER = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

async function seedTemplates(client: pg.Client): Promise<number> {
  const profiles = DEMO_FLEET.filter((p) => !p.behaviour);
  await client.query(`create table bench_template (idx int primary key, tags text[], facts jsonb, assessment jsonb, verdict text, rules text,
    product text, core text, page_size int, ch text, platform text, kernel text)`);
  for (const [idx, p] of profiles.entries()) {
    const d = deriveFromProbe(simulatedDocument(p, "tok"), DEFAULT_GUEST_PROFILE, "tok");
    await client.query(`insert into bench_template values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`, [
      idx,
      p.tags,
      JSON.stringify(d.facts),
      JSON.stringify(d.assessment),
      d.verdict,
      d.rulesVersion,
      d.summary.product,
      d.summary.core,
      d.summary.pageSize,
      d.summary.chVersion,
      d.summary.platformClass,
      d.summary.kernelRelease,
    ]);
  }
  return profiles.length;
}

// Hosts from..to: 1 in 97 never scanned, 1 in 50 stale after a failed scan, the rest current; every host points
// at its own scan row (a copy of its profile's facts and assessment).
async function seedHosts(client: pg.Client, from: number, to: number, templates: number): Promise<void> {
  await client.query(
    `insert into "Host" (id, name, address, port, username, tags, "authMethod", "updatedAt", "lastScanAt", "lastScanStatus", "lastErrorClass",
       stale, verdict, product, core, "pageSize", "chVersion", "platformClass", "kernelRelease")
     select 'bh' || i, 'bench-' || lpad(i::text, 6, '0'), '10.' || (i >> 16) || '.' || ((i >> 8) & 255) || '.' || (i & 255), 22, 'ops',
       t.tags || ('rack' || (i % 40)), 'agent', now(),
       case when i % 97 = 0 then null else now() - (i % 5000) * interval '1 minute' end,
       case when i % 97 = 0 then null when i % 50 = 0 then 'failed'::"ScanStatus" else 'succeeded'::"ScanStatus" end,
       case when i % 97 <> 0 and i % 50 = 0 then 'timeout' end,
       i % 97 <> 0 and i % 50 = 0,
       case when i % 97 = 0 then null else t.verdict end,
       case when i % 97 = 0 then null else t.product end, case when i % 97 = 0 then null else t.core end,
       case when i % 97 = 0 then null else t.page_size end, case when i % 97 = 0 then null else t.ch end,
       case when i % 97 = 0 then null else t.platform end, case when i % 97 = 0 then null else t.kernel end
     from generate_series($1::int, $2::int) i join bench_template t on t.idx = i % $3`,
    [from, to, templates],
  );
  await client.query(
    `insert into "Scan" (id, "hostId", status, source, "requestedBy", "startedAt", "finishedAt", attempts, facts, assessment, "rulesVersion", verdict)
     select 'bs' || i, 'bh' || i, 'succeeded', 'ssh', 'bench', now(), now(), 1, t.facts, t.assessment, t.rules, t.verdict
     from generate_series($1::int, $2::int) i join bench_template t on t.idx = i % $3 where i % 97 <> 0`,
    [from, to, templates],
  );
  await client.query(
    `update "Host" set "currentScanId" = 'bs' || substr(id, 3), "lastScanId" = 'bs' || substr(id, 3)
     where id in (select 'bh' || i from generate_series($1::int, $2::int) i where i % 97 <> 0)`,
    [from, to],
  );
  // A few in-flight scans, so activeScan and `scanning` have work to do.
  await client.query(
    `insert into "Scan" (id, "hostId", status, "requestedBy") select 'bq' || i, 'bh' || i, 'queued', 'bench'
     from generate_series($1::int, $2::int) i where i % 211 = 0`,
    [from, to],
  );
  await client.query(`analyze "Host"; analyze "Scan"`);
}

// A migrated temporary database seeded with `hosts` capture-derived hosts (the UI bench renders over it).
export async function seedBenchDatabase(hosts: number): Promise<{ url: string; drop: () => Promise<void> }> {
  const db = await createTemporaryDatabase(SERVER, "daxboard_bench_ui");
  await deployMigrations({ url: db.url });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const templates = await seedTemplates(client);
    for (let from = 1; from <= hosts; from += 10_000)
      await seedHosts(client, from, Math.min(hosts, from + 9_999), templates);
  } finally {
    await client.end();
  }
  return db;
}

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

async function invoke(handler: Handler, path: string, token: string): Promise<Response> {
  const req = new NextRequest(new URL(path, "http://bench.local"), {
    headers: { host: "bench.local", authorization: `Bearer ${token}` },
  });
  return handler(req, { params: Promise.resolve({}) });
}

async function timeJson(handler: Handler, paths: string[], token: string, runs: number): Promise<number> {
  for (const path of paths) await (await invoke(handler, path, token)).json(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const path = paths[i % paths.length];
    const t = performance.now();
    const res = await invoke(handler, path, token);
    await res.json();
    if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
    samples.push(performance.now() - t);
  }
  return p95(samples);
}

// Streams the whole CSV, sampling RSS; returns seconds, rows and peak RSS growth over the pre-export RSS.
async function timeExport(
  token: string,
): Promise<{ seconds: number; rows: number; rssGrowthMb: number; peakRssMb: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t = performance.now();
  const res = await invoke(exportCsv, "/api/export.csv", token);
  const reader = res.body!.getReader();
  let newlines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.length; i++) if (value[i] === 10) newlines++;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  return { seconds, rows: newlines - 1, rssGrowthMb: (peak - base) / 1024 / 1024, peakRssMb: peak / 1024 / 1024 };
}

// A fresh database with the migrations applied, DATABASE_URL pointing at it and a pg client to seed it, for the
// length of fn; then the previous DATABASE_URL is restored and the database dropped.
async function withSeedDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const previousUrl = process.env.DATABASE_URL;
  await closeDb();
  const db = await createTemporaryDatabase(SERVER, "daxboard_bench");
  const client = new pg.Client({ connectionString: db.url });
  try {
    await deployMigrations({ url: db.url });
    process.env.DATABASE_URL = db.url;
    await client.connect();
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
    await closeDb();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    await db.drop();
  }
}

function timeReassess(): Promise<{ hosts: number; seconds: number }> {
  return withSeedDatabase(async (client) => {
    await seedHosts(client, 1, 10_000, await seedTemplates(client));
    const t = performance.now();
    const result = await reassessFleet();
    return { hosts: result.hosts, seconds: (performance.now() - t) / 1000 };
  });
}

export function run(): Promise<void> {
  return withSeedDatabase(async (client) => {
    const templates = await seedTemplates(client);
    let t = performance.now();
    await seedHosts(client, 1, 10_000, templates);
    console.log(
      `fleet: seeded 10,000 hosts (${templates} capture profiles) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const token = (await createApiToken({ name: "bench", role: "viewer" })).token;
    const listHosts = await hostsListHandler();

    const first = await timeJson(listHosts, ["/api/hosts"], token, 100);
    const filtered = await timeJson(
      listHosts,
      [
        "/api/hosts?verdict=ready,ready-with-warnings&sort=-lastScanAt",
        "/api/hosts?tag=aws&sort=product",
        "/api/hosts?hostPageSize=65536&sort=chVersion&page=3",
        "/api/hosts?q=bench-0042&sort=-name",
        "/api/hosts?platformClass=server-acpi&stale=false&sort=-kernelRelease&page=20",
        "/api/hosts?verdict=never,unknown&sort=lastScanStatus",
        "/api/hosts?chVersion=v41.0.0&stale=true&sort=verdict",
        "/api/hosts?sort=-pageSize&page=150&pageSize=50",
      ],
      token,
      160,
    );
    const summary = await timeJson(
      fleetSummary,
      ["/api/fleet/summary", "/api/fleet/summary?tag=aws", "/api/fleet/summary?verdict=platform-ready"],
      token,
      60,
    );
    const csv10k = await timeExport(token);
    if (csv10k.rows !== 10_000) throw new Error(`CSV export had ${csv10k.rows} rows, expected 10000`);
    t = performance.now();
    for (let from = 10_001; from <= 100_000; from += 10_000) await seedHosts(client, from, from + 9_999, templates);
    console.log(`fleet: seeded 100,000 hosts in ${((performance.now() - t) / 1000).toFixed(1)} s more`);
    const csv100k = await timeExport(token);
    if (csv100k.rows !== 100_000) throw new Error(`CSV export had ${csv100k.rows} rows, expected 100000`);
    const first100k = await timeJson(listHosts, ["/api/hosts"], token, 50);

    // Re-assessment last, on a second database of 10k hosts: it allocates heavily, which would have raised the
    // baseline the export's RSS growth is measured against.
    const { hosts: reassessedHosts, seconds: reassessSeconds } = await timeReassess();

    console.log(
      `fleet: GET /api/hosts first page p95 ${first.toFixed(1)} ms, filtered/sorted p95 ${filtered.toFixed(1)} ms (target < 100 ms)`,
    );
    console.log(
      `fleet: GET /api/fleet/summary p95 ${summary.toFixed(1)} ms; re-assess ${reassessedHosts} hosts ${reassessSeconds.toFixed(1)} s`,
    );
    console.log(
      `fleet: CSV 10k ${csv10k.seconds.toFixed(2)} s (+${csv10k.rssGrowthMb.toFixed(0)} MB RSS); 100k ${csv100k.seconds.toFixed(2)} s (+${csv100k.rssGrowthMb.toFixed(0)} MB RSS, target < 100 MB)`,
    );
    console.log(`bench api.hosts_p95_ms ${first.toFixed(1)} ms`);
    console.log(`bench api.hosts_filtered_p95_ms ${filtered.toFixed(1)} ms`);
    console.log(`bench api.fleet_summary_p95_ms ${summary.toFixed(1)} ms`);
    console.log(`bench api.hosts_100k_p95_ms ${first100k.toFixed(1)} ms`);
    console.log(`bench reassess.10k_s ${reassessSeconds.toFixed(2)} s`);
    console.log(`bench export.csv_10k_s ${csv10k.seconds.toFixed(2)} s`);
    console.log(`bench export.csv_10k_rss_growth_mb ${csv10k.rssGrowthMb.toFixed(1)} MB`);
    console.log(`bench export.csv_100k_s ${csv100k.seconds.toFixed(2)} s`);
    console.log(`bench export.csv_100k_rss_growth_mb ${csv100k.rssGrowthMb.toFixed(1)} MB`);
    console.log(`bench export.csv_100k_peak_rss_mb ${csv100k.peakRssMb.toFixed(0)} MB`);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
