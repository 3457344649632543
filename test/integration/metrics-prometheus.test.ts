import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { closeDb, getDb } from "@/lib/db";
import { resetDatabase } from "../support/api";
import { SEEDED, sample, seedMetricsFleet, serveMetrics } from "./metrics-fixture";

// Debian's prometheus package (CI installs it): a real server scrapes the route every second over loopback.
const PROMETHEUS = "/usr/bin/prometheus";
const PROMTOOL = "/usr/bin/promtool";

let dir: string;
let prometheus: ChildProcess;
let promUrl: string;
let stopServer: () => Promise<void>;
let metricsUrl: string;
let token: string;
let log = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

// The first value of an instant PromQL query, or undefined while Prometheus has no sample for it.
async function query(promql: string): Promise<number | undefined> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
  const value = body.data?.result?.[0]?.value[1];
  return value === undefined ? undefined : Number(value);
}

// Polls until the query answers `want`; the deadline is far beyond a healthy run's 1-2 scrape intervals.
async function waitFor(promql: string, want: number, deadlineMs = 60_000): Promise<number | undefined> {
  const until = Date.now() + deadlineMs;
  let got: number | undefined;
  while (Date.now() < until) {
    got = await query(promql).catch(() => undefined);
    if (got === want) return got;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${promql}: wanted ${want}, last answer ${got}\nprometheus log:\n${log.slice(-3000)}`);
}

beforeAll(async () => {
  await resetDatabase();
  await seedMetricsFleet();
  token = (await createApiToken({ name: "prom", role: "viewer", scope: "metrics" })).token;
  const served = await serveMetrics();
  metricsUrl = served.url;
  stopServer = served.close;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-prom-"));
  const target = new URL(metricsUrl);
  const config = `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: daxboard
    metrics_path: ${target.pathname}
    authorization:
      type: Bearer
      credentials_file: ${path.join(dir, "token")}
    static_configs:
      - targets: ["${target.host}"]
`;
  fs.writeFileSync(path.join(dir, "token"), token, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, "prometheus.yml"), config);
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    PROMETHEUS,
    [
      `--config.file=${path.join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  prometheus.stderr?.on("data", (d: Buffer) => (log += d.toString()));
});

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((r) => prometheus.once("exit", r));
    prometheus.kill("SIGTERM");
    await exited;
  }
  await stopServer?.();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await closeDb();
});

describe("a real Prometheus scraping GET /api/metrics", () => {
  it("answers PromQL queries with the seeded fleet's numbers", async () => {
    await waitFor('up{job="daxboard"}', 1);
    await waitFor('daxboard_hosts{verdict="platform-ready"}', SEEDED.platformReady);
    expect(await query('daxboard_hosts{verdict="n/a"}')).toBe(SEEDED.na);
    expect(await query("sum(daxboard_hosts)")).toBe(6);
    expect(await query('daxboard_hosts_by_page_size{page_size="65536"}')).toBe(SEEDED.pageSize65536);
    expect(await query("daxboard_hosts_stale")).toBe(SEEDED.stale);
    expect(await query('count(daxboard_host_verdict{verdict="platform-ready"})')).toBe(SEEDED.platformReady);
  });

  it("counts scans that finish after a scrape, by outcome and error class, with their durations", async () => {
    // Prometheus has scraped at least once (the test above), so the counters' cursor is set; these finish after it,
    // inside the 10 s commit lag, so a scrape a second or more later counts them whatever its timing.
    const host = await getDb().host.findUniqueOrThrow({ where: { name: "m-bravo" }, select: { id: true } });
    await getDb().$executeRawUnsafe(
      `insert into "Scan" (id, "hostId", status, "requestedBy", "errorClass", "startedAt", "finishedAt")
       select gen_random_uuid(), $1, s.status::"ScanStatus", 'test', s.error_class,
              now() - interval '12 seconds', now() - interval '9 seconds'
       from (values ('failed', 'timeout'), ('failed', 'timeout'), ('succeeded', null)) s(status, error_class)`,
      host.id,
    );
    // As the workers do: the host's last scan time is its newest scan's finish time.
    await getDb().$executeRawUnsafe(
      `update "Host" set "lastScanAt" = now() - interval '9 seconds' where id = $1`,
      host.id,
    );
    await waitFor('daxboard_scans_total{outcome="failed",error_class="timeout"}', 2);
    expect(await query('daxboard_scans_total{outcome="succeeded",error_class="none"}')).toBe(1);
    expect(await query('daxboard_scan_duration_seconds_bucket{le="2"}')).toBe(0);
    expect(await query('daxboard_scan_duration_seconds_bucket{le="5"}')).toBe(3);
    expect(await query("daxboard_scan_duration_seconds_count")).toBe(3);
  });

  it("runs every query of docs/grafana-dashboard.json on metrics the app exports", async () => {
    const dashboard = JSON.parse(fs.readFileSync("docs/grafana-dashboard.json", "utf8")) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
    const exported = new Set([...(await res.text()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
    for (const { title, targets } of dashboard.panels) {
      for (const { expr } of targets) {
        const answer = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
        expect((await answer.json()).status, `${title}: ${expr}`).toBe("success");
        const names = [...expr.matchAll(/\b((?:daxboard|process)_[a-z_]+?)(?:_bucket)?\b(?![(a-z_])/g)].map(
          (m) => m[1],
        );
        for (const name of names) expect(exported, `${title}: ${name}`).toContain(name);
      }
    }
  });

  it("passes promtool check metrics", async () => {
    const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    expect(sample(text, "daxboard_hosts_never_scanned")).toBe(SEEDED.never);
    const check = spawnSync(PROMTOOL, ["check", "metrics"], { input: text, encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});
