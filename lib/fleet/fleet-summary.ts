import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { hostWhere, type HostFilter } from "../hosts/list-hosts";

export const VERDICT_KEYS = [
  "ready",
  "ready-with-warnings",
  "platform-ready",
  "not-ready",
  "unknown",
  "n/a",
  "never",
] as const;

type VerdictKey = (typeof VERDICT_KEYS)[number];
// `key` is null where the fact is not known (never scanned, or unreadable on the host).
export type Bucket<K> = { key: K; count: number };

export type FleetSummary = {
  total: number;
  verdicts: Record<VerdictKey, number>;
  stale: number;
  scanning: number;
  byProduct: Bucket<string | null>[];
  byCore: Bucket<string | null>[];
  byPageSize: Bucket<number | null>[];
  byChVersion: Bucket<string | null>[];
  byKernelSeries: Bucket<string | null>[];
  byPlatformClass: Bucket<string | null>[];
  // Scanned hosts per best zero-copy path (null = none ready); the bestPath filter itself does not apply.
  bestPaths: Bucket<string | null>[];
};

type GroupField =
  "verdict" | "product" | "core" | "pageSize" | "chVersion" | "platformClass" | "kernelRelease" | "bestPath";

const byCountThenKey = <K>(a: Bucket<K>, b: Bucket<K>) =>
  b.count - a.count || String(a.key).localeCompare(String(b.key));

// "6.8.0-39-generic" → "6.8"; anything else is its own series.
export function kernelSeries(release: string | null): string | null {
  if (!release) return null;
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? `${m[1]}.${m[2]}` : release;
}

async function countBy<F extends GroupField>(where: Prisma.HostWhereInput, field: F) {
  // groupBy's generic typing cannot follow a field chosen at run time; the shape below is what Prisma returns.
  const groups = (await getDb().host.groupBy({
    by: [field],
    where,
    _count: { _all: true },
  } as never)) as unknown as Array<Record<F, string | number | null> & { _count: { _all: number } }>;
  return groups.map((g) => ({ key: g[field], count: g._count._all }));
}

// Tiles and chart data for the fleet page, with the table's filters, as SQL aggregates (one GROUP BY per chart).
export async function fleetSummary(filter: HostFilter): Promise<FleetSummary> {
  const where = hostWhere(filter);
  // The best-path tiles are the bestPath filter's choices: they count as if it were not set.
  const scanned: Prisma.HostWhereInput = {
    AND: [hostWhere({ ...filter, bestPath: undefined }), { verdict: { not: null } }],
  };
  const db = getDb();
  const [total, stale, scanning, verdictRows, product, core, pageSize, chVersion, platformClass, kernel, bestPaths] =
    await Promise.all([
      db.host.count({ where }),
      db.host.count({ where: { AND: [where, { stale: true }] } }),
      db.host.count({ where: { AND: [where, { scans: { some: { status: { in: ["queued", "running"] } } } }] } }),
      countBy(where, "verdict"),
      countBy(where, "product"),
      countBy(where, "core"),
      countBy(where, "pageSize"),
      countBy(where, "chVersion"),
      countBy(where, "platformClass"),
      countBy(where, "kernelRelease"),
      countBy(scanned, "bestPath"),
    ]);
  const verdicts = Object.fromEntries(VERDICT_KEYS.map((k) => [k, 0])) as Record<VerdictKey, number>;
  for (const row of verdictRows) {
    const key = (row.key ?? "never") as VerdictKey;
    verdicts[key in verdicts ? key : "unknown"] += row.count;
  }
  // Distinct kernel releases are few (tens), so folding them into series here stays cheap.
  const series = new Map<string | null, number>();
  for (const row of kernel) {
    const key = kernelSeries(row.key as string | null);
    series.set(key, (series.get(key) ?? 0) + row.count);
  }
  return {
    total,
    verdicts,
    stale,
    scanning,
    byProduct: (product as Bucket<string | null>[]).sort(byCountThenKey),
    byCore: (core as Bucket<string | null>[]).sort(byCountThenKey),
    byPageSize: (pageSize as Bucket<number | null>[]).sort(byCountThenKey),
    byChVersion: (chVersion as Bucket<string | null>[]).sort(byCountThenKey),
    byKernelSeries: [...series].map(([key, count]) => ({ key, count })).sort(byCountThenKey),
    byPlatformClass: (platformClass as Bucket<string | null>[]).sort(byCountThenKey),
    bestPaths: (bestPaths as Bucket<string | null>[]).sort(byCountThenKey),
  };
}
