// One scrape of GET /api/metrics: a fresh registry for the fleet and queue gauges (so a label value that has gone
// away, a deleted host or a verdict no host has any more, leaves no stale series behind), the process metrics on a
// private registry made once, and the scan counters this process keeps.
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { getPool } from "../db";
import { WORKER_APPLICATION_PREFIX } from "../scan/worker-presence";
import { collectFleetMetrics } from "./fleet-metrics";
import { scanCountersText, updateScanCounters } from "./scan-metrics";

const MISNAMED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

const holder = globalThis as unknown as { __daxboardProcessMetrics?: Registry };

// collectDefaultMetrics registers its gauges once per registry; the holder survives module reloads in dev.
function processRegistry(): Registry {
  if (!holder.__daxboardProcessMetrics) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    // Gauges prom-client names with a counter's "_total" suffix, which `promtool check metrics` rejects.
    for (const name of MISNAMED_DEFAULTS) registry.removeSingleMetric(name);
    holder.__daxboardProcessMetrics = registry;
  }
  return holder.__daxboardProcessMetrics;
}

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

// Queued and running scans, from "Scan" through its status index (the queue jobs mirror these rows).
async function collectQueueMetrics(registry: Registry): Promise<void> {
  const { rows } = await getPool().query<{ status: string; n: number }>(
    `select status::text as status, count(*)::int as n from "Scan" where status in ('queued', 'running') group by 1`,
  );
  const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  new Gauge({
    name: "daxboard_scan_queue_depth",
    help: "Scans requested and waiting for a worker.",
    registers: [registry],
  }).set(count("queued"));
  new Gauge({
    name: "daxboard_scans_active",
    help: "Scans a worker is running now.",
    registers: [registry],
  }).set(count("running"));
  // Scan worker processes (app and `npm run worker`) each hold one connection named for it (worker-presence.ts).
  const workers = await getPool().query<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like $1`,
    [`${WORKER_APPLICATION_PREFIX}%`],
  );
  new Gauge({
    name: "daxboard_workers",
    help: "Scan worker processes connected to the database (the app's own and npm run worker).",
    registers: [registry],
  }).set(workers.rows[0]?.n ?? 0);
}

export async function renderMetrics(): Promise<string> {
  const registry = new Registry();
  await Promise.all([collectFleetMetrics(registry), collectQueueMetrics(registry), updateScanCounters()]);
  const merged = Registry.merge([registry, processRegistry()]);
  return `${await merged.metrics()}\n${scanCountersText()}`;
}
