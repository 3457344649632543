// Bench: GET /api/metrics over 100,000 seeded hosts (test/bench/fleet.ts's capture-derived fleet, copied in SQL),
// in-process through the route handler with a metrics-scoped token, against a temporary database on DATABASE_URL's
// server. Baseline in the same run: `select count(*) from "Host"` on the same database. Target: median < 500 ms.
import { NextRequest } from "next/server";
import { GET as metricsRoute } from "../../app/api/metrics/route";
import { createApiToken } from "../../lib/auth/api-tokens";
import { closeDb, getPool } from "../../lib/db";
import { seedBenchDatabase } from "./fleet";

const HOSTS = 100_000;
const RUNS = 20;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function scrape(token: string): Promise<string> {
  const req = new NextRequest("http://bench.local/api/metrics", {
    headers: { host: "bench.local", authorization: `Bearer ${token}` },
  });
  const res = await metricsRoute(req);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /api/metrics: HTTP ${res.status}: ${text.slice(0, 200)}`);
  return text;
}

async function timeRuns(fn: () => Promise<unknown>): Promise<number[]> {
  await fn(); // warm-up: connections, plans, JIT
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return samples;
}

const t0 = performance.now();
const db = await seedBenchDatabase(HOSTS);
console.log(`metrics: seeded ${HOSTS.toLocaleString("en")} hosts in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
process.env.DATABASE_URL = db.url;
try {
  const { token } = await createApiToken({ name: "bench-prom", role: "viewer", scope: "metrics" });
  let text = "";
  const scrapes = await timeRuns(async () => (text = await scrape(token)));
  const counts = await timeRuns(() => getPool().query(`select count(*) from "Host"`));
  const perHost = text.split("\n").filter((l) => l.startsWith("daxboard_host_verdict{")).length;
  const scrapeMs = median(scrapes);
  const countMs = median(counts);
  const max = Math.max(...scrapes).toFixed(1);
  const kib = (text.length / 1024).toFixed(0);
  console.log(
    `metrics: scrape of ${HOSTS.toLocaleString("en")} hosts median ${scrapeMs.toFixed(1)} ms (max ${max} ms, \
${kib} KiB, ${perHost} per-host series); select count(*) median ${countMs.toFixed(1)} ms`,
  );
  console.log(`bench metrics.scrape_100k_ms ${scrapeMs.toFixed(1)} ms`);
  console.log(`bench metrics.count_100k_ms ${countMs.toFixed(1)} ms`);
  console.log(`bench metrics.scrape_vs_count ${(scrapeMs / countMs).toFixed(1)} x`);
} finally {
  await closeDb();
  await db.drop();
}
