// Scan counters and the scan-duration histogram. Scans are recorded by the app's workers and by `npm run worker`
// processes elsewhere, so the database is the only place that sees them all; but "Scan" rows are pruned (issue 15),
// so counting the table would go down and Prometheus would read every prune as a counter reset. Instead this
// process keeps monotonic counters and, at each scrape, adds the scans that finished since the previous scrape
// (a cursor on "finishedAt", read a little behind the database clock so a transaction that commits late is still
// seen). They start at 0 when the process starts, as Prometheus counters do.
import { getPool } from "../db";

// Seconds. The default scan deadline is 45 s (DAXBOARD_SSH_SCAN_TIMEOUT_MS); slower scans land in +Inf.
export const DURATION_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 45, 60, 120];
const COMMIT_LAG = "10 seconds";

type Series = { outcome: string; errorClass: string; count: number };
type State = { cursor: Date | null; series: Map<string, Series>; buckets: number[]; sum: number; count: number };

const state: State = { cursor: null, series: new Map(), buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
let feeding: Promise<void> = Promise.resolve();

type DeltaRow = { outcome: string; error_class: string; bucket: number | null; n: number; secs: number | null };

// Per outcome, error class and duration bucket (index of the first bound >= the duration; null without a start).
// "Scan" has no index on "finishedAt", so a filter on it alone reads the whole history at every scrape. Every path
// that finishes a scan sets its host's "lastScanAt" to that "finishedAt" in the same statement or transaction
// (lib/scan/scan-store.ts, record-outcome.ts), so the hosts with a scan in the window are found through the
// "lastScanAt" index and their scans through ("hostId", "createdAt"): the cost follows the scans, not the fleet.
const DELTA_SQL = `
  select s.status::text as outcome, coalesce(s."errorClass", 'none') as error_class,
         case when s."startedAt" is not null then (select count(*) from unnest($3::float8[]) le
           where le < extract(epoch from (s."finishedAt" - s."startedAt")))::int end as bucket,
         count(*)::int as n,
         sum(extract(epoch from (s."finishedAt" - s."startedAt")))::float8 as secs
  from "Host" h join "Scan" s on s."hostId" = h.id
  where h."lastScanAt" > $1 and s."finishedAt" > $1 and s."finishedAt" <= $2 and s.status in ('succeeded', 'failed')
  group by 1, 2, 3`;

function add(rows: DeltaRow[]): void {
  for (const row of rows) {
    const key = `${row.outcome}\u0000${row.error_class}`;
    const series = state.series.get(key) ?? { outcome: row.outcome, errorClass: row.error_class, count: 0 };
    series.count += row.n;
    state.series.set(key, series);
    if (row.secs === null || row.bucket === null) continue;
    state.sum += row.secs;
    state.count += row.n;
    // Cumulative buckets: a scan counts in every bucket whose bound is at or above its duration.
    for (let i = row.bucket; i < state.buckets.length; i++) state.buckets[i] += row.n;
  }
}

async function feed(): Promise<void> {
  const pool = getPool();
  const { rows } = await pool.query<{ upto: Date }>(`select now() - interval '${COMMIT_LAG}' as upto`);
  const upto = rows[0].upto;
  if (state.cursor && upto > state.cursor) {
    add((await pool.query<DeltaRow>(DELTA_SQL, [state.cursor, upto, DURATION_BUCKETS])).rows);
  }
  if (!state.cursor || upto > state.cursor) state.cursor = upto;
}

// Brings the counters up to date; concurrent scrapes take turns so no scan is counted twice.
export function updateScanCounters(): Promise<void> {
  feeding = feeding.catch(() => undefined).then(feed);
  return feeding;
}

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function countersText(): string[] {
  const lines = [
    "# HELP daxboard_scans_total Scans finished since this process started, by outcome and error class.",
    "# TYPE daxboard_scans_total counter",
  ];
  for (const key of [...state.series.keys()].sort()) {
    const s = state.series.get(key)!;
    lines.push(`daxboard_scans_total{outcome="${escape(s.outcome)}",error_class="${escape(s.errorClass)}"} ${s.count}`);
  }
  return lines;
}

function histogramText(): string[] {
  const name = "daxboard_scan_duration_seconds";
  return [
    `# HELP ${name} Duration (start to result) of the scans finished since this process started.`,
    `# TYPE ${name} histogram`,
    ...DURATION_BUCKETS.map((le, i) => `${name}_bucket{le="${le}"} ${state.buckets[i]}`),
    `${name}_bucket{le="+Inf"} ${state.count}`,
    `${name}_sum ${state.sum}`,
    `${name}_count ${state.count}`,
  ];
}

// The counters and histogram in the text exposition format: prom-client's Histogram takes one observation at a
// time, and these arrive as per-bucket counts from SQL.
export function scanCountersText(): string {
  return `${[...countersText(), ...histogramText()].join("\n")}\n`;
}
