// Fleet gauges from aggregate SQL at scrape time: one pass over "Host" with GROUPING SETS for every breakdown,
// and a bounded, name-ordered read for the per-host series. No host is loaded into memory beyond the cap.
import { Gauge, type Registry } from "prom-client";
import { getPool } from "../db";
import { VERDICT_KEYS } from "../fleet/fleet-summary";

export const DEFAULT_HOST_CAP = 1000;

// DAXBOARD_METRICS_HOST_CAP: how many hosts get per-host series (0 = none); the rest are counted as dropped.
export function hostSeriesCap(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.DAXBOARD_METRICS_HOST_CAP?.trim();
  if (!raw) return DEFAULT_HOST_CAP;
  if (!/^\d+$/.test(raw)) throw new Error(`DAXBOARD_METRICS_HOST_CAP must be a whole number, not "${raw}"`);
  return Number(raw);
}

type GroupRow = { dim: string; key: string; n: number; stale: number; never: number };

// Each grouping set names its dimension; null keys get a label value that says why they are empty.
const FLEET_SQL = `
  select case grouping(verdict, platform_class, page_size, best_path, ch_major)
           when 15 then 'verdict' when 23 then 'platform_class' when 27 then 'page_size'
           when 29 then 'best_path' when 30 then 'ch_major' else 'all' end as dim,
         coalesce(verdict, platform_class, page_size, best_path, ch_major, '') as key,
         count(*)::int as n,
         count(*) filter (where stale)::int as stale,
         count(*) filter (where never)::int as never
  from (
    select coalesce(verdict, 'never') as verdict,
           coalesce("platformClass", 'unknown') as platform_class,
           coalesce("pageSize"::text, 'unknown') as page_size,
           case when verdict is null then 'never' else coalesce("bestPath", 'none') end as best_path,
           coalesce(substring("chVersion" from '[0-9]+'), 'none') as ch_major,
           stale, "lastScanAt" is null as never
    from "Host"
  ) h
  group by grouping sets ((verdict), (platform_class), (page_size), (best_path), (ch_major), ())`;

const HOSTS_SQL = `
  select h.name, coalesce(h.verdict, 'never') as verdict, (s.assessment #>> '{cacheSize,bytes}')::float8 as cache
  from "Host" h left join "Scan" s on s.id = h."currentScanId"
  order by h.name limit $1`;

const BREAKDOWNS = [
  ["verdict", "daxboard_hosts", "Hosts by overall verdict (virtio-fs DAX); never = not scanned successfully yet."],
  ["platform_class", "daxboard_hosts_by_platform_class", "Hosts by platform class (unknown = not read)."],
  ["page_size", "daxboard_hosts_by_page_size", "Hosts by host page size in bytes (unknown = not read)."],
  ["best_path", "daxboard_hosts_by_best_path", "Hosts by best ready zero-copy path (none = no path ready)."],
  ["ch_major", "daxboard_hosts_by_ch_major", "Hosts by Cloud Hypervisor major version (none = not found)."],
] as const;

function gauge(registry: Registry, name: string, help: string, labelNames: string[] = []) {
  return new Gauge({ name, help, labelNames, registers: [registry] });
}

function addBreakdowns(registry: Registry, rows: GroupRow[]): number {
  const all = rows.find((r) => r.dim === "all");
  for (const [dim, name, help] of BREAKDOWNS) {
    const label = dim === "ch_major" ? "major" : dim === "best_path" ? "path" : dim;
    const g = gauge(registry, name, help, [label]);
    // Every verdict is always present, so a PromQL query for one that no host has answers 0, not nothing.
    if (dim === "verdict") for (const v of VERDICT_KEYS) g.set({ verdict: v }, 0);
    for (const row of rows.filter((r) => r.dim === dim)) g.set({ [label]: row.key }, row.n);
  }
  gauge(registry, "daxboard_hosts_stale", "Hosts whose last scan failed after a good one (verdict kept).").set(
    all?.stale ?? 0,
  );
  gauge(registry, "daxboard_hosts_never_scanned", "Registered hosts with no scan finished yet.").set(all?.never ?? 0);
  return all?.n ?? 0;
}

async function addPerHost(registry: Registry, total: number, cap: number): Promise<void> {
  const verdict = gauge(registry, "daxboard_host_verdict", "1 for each host's current verdict.", ["host", "verdict"]);
  const cache = gauge(
    registry,
    "daxboard_host_cache_size_bytes",
    "Recommended virtio-fs DAX cache_size per host (hosts with a recommendation).",
    ["host"],
  );
  gauge(
    registry,
    "daxboard_host_series_dropped",
    "Hosts left out of the per-host series by DAXBOARD_METRICS_HOST_CAP (first hosts by name are kept).",
  ).set(Math.max(0, total - cap));
  gauge(registry, "daxboard_host_series_cap", "DAXBOARD_METRICS_HOST_CAP in force.").set(cap);
  if (cap === 0) return;
  const { rows } = await getPool().query<{ name: string; verdict: string; cache: number | null }>(HOSTS_SQL, [cap]);
  for (const row of rows) {
    verdict.set({ host: row.name, verdict: row.verdict }, 1);
    if (row.cache !== null) cache.set({ host: row.name }, row.cache);
  }
}

// Registers and fills the fleet gauges on a scrape's own registry.
export async function collectFleetMetrics(registry: Registry, cap = hostSeriesCap()): Promise<void> {
  const { rows } = await getPool().query<GroupRow>(FLEET_SQL);
  const total = addBreakdowns(registry, rows);
  await addPerHost(registry, total, cap);
}
