import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metrics } from "@/app/api/metrics/route";
import { GET as listHosts, POST as createHost } from "@/app/api/hosts/route";
import { GET as fleetSummary } from "@/app/api/fleet/summary/route";
import { POST as createToken } from "@/app/api/tokens/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { closeDb, getDb } from "@/lib/db";
import { createSession } from "@/lib/auth/sessions";
import { call, createTestUser, resetDatabase, tokenFor } from "../support/api";
import { startWorkerProcess, waitFor } from "../support/worker-process";
import { CACHE_HOST, SEEDED, sample, seedMetricsFleet } from "./metrics-fixture";

let scoped: string;

beforeAll(async () => {
  await resetDatabase();
  await seedMetricsFleet();
  scoped = (await createApiToken({ name: "prom", role: "viewer", scope: "metrics" })).token;
});
afterAll(closeDb);

describe("GET /api/metrics access", () => {
  it("answers 401 without a token and to an unknown one", async () => {
    expect((await call(metrics, { path: "/api/metrics" })).status).toBe(401);
    expect((await call(metrics, { path: "/api/metrics", token: "dxb_not-a-real-token-at-all" })).status).toBe(401);
  });

  it("lets a metrics-scoped token and any role's full token read it", async () => {
    for (const token of [scoped, await tokenFor("viewer"), await tokenFor("admin")]) {
      const res = await call(metrics, { path: "/api/metrics", token });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    }
  });

  it("refuses a metrics-scoped token on every other route with 403", async () => {
    const read = await call(listHosts, { path: "/api/hosts", token: scoped });
    expect(read.status).toBe(403);
    expect(read.json.error.message).toMatch(/only read GET \/api\/metrics/);
    expect((await call(fleetSummary, { path: "/api/fleet/summary", token: scoped })).status).toBe(403);
    const write = await call(createHost, {
      body: { name: "x", address: "10.1.1.1", username: "ops", auth: { type: "agent" } },
      token: scoped,
    });
    expect(write.status).toBe(403);
    expect(await getDb().host.count({ where: { name: "x" } })).toBe(0);
  });

  it("refuses a revoked metrics token", async () => {
    const { token, record } = await createApiToken({ name: "old", role: "viewer", scope: "metrics" });
    await getDb().apiToken.update({ where: { id: record.id }, data: { revokedAt: new Date() } });
    expect((await call(metrics, { path: "/api/metrics", token })).status).toBe(401);
  });

  it("issues metrics tokens from `npm run token -- --scope metrics` and refuses an unknown scope", async () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "lib/cli/token.ts", ...args], {
        encoding: "utf8",
        env: process.env,
      });
    const bad = run("--name", "prom", "--scope", "everything");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/scope/);
    const ok = run("--name", "prom-cli", "--scope", "metrics");
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/metrics only/);
    const token = ok.stdout.trim();
    expect((await call(metrics, { path: "/api/metrics", token })).status).toBe(200);
    expect((await call(listHosts, { path: "/api/hosts", token })).status).toBe(403);
    const stored = await getDb().apiToken.findFirstOrThrow({ where: { name: "prom-cli" } });
    expect(stored.scope).toBe("metrics");
  });

  it("lets a logged-in admin issue a metrics-scoped token and refuses an unknown scope", async () => {
    const admin = await createTestUser("metrics-admin@example.test", "admin");
    const cookie = (await createSession(admin.id)).token;
    const res = await call(createToken, { body: { name: "prom-api", role: "viewer", scope: "metrics" }, cookie });
    expect(res.status).toBe(201);
    expect(res.json.scope).toBe("metrics");
    expect((await call(metrics, { path: "/api/metrics", token: res.json.token })).status).toBe(200);
    expect((await call(listHosts, { path: "/api/hosts", token: res.json.token })).status).toBe(403);
    const invalid = await call(createToken, { body: { name: "prom-x", role: "viewer", scope: "admin" }, cookie });
    expect(invalid.status).toBe(422);
    expect(invalid.json.error.field).toBe("scope");
  });
});

describe("GET /api/metrics content", () => {
  it("reports the fleet gauges from the database", async () => {
    const { text } = await call(metrics, { path: "/api/metrics", token: scoped });
    expect(sample(text, 'daxboard_hosts{verdict="platform-ready"}')).toBe(SEEDED.platformReady);
    expect(sample(text, 'daxboard_hosts{verdict="ready"}')).toBe(SEEDED.ready);
    expect(sample(text, 'daxboard_hosts{verdict="never"}')).toBe(SEEDED.never);
    expect(sample(text, 'daxboard_hosts{verdict="not-ready"}')).toBe(0);
    expect(sample(text, "daxboard_hosts_stale")).toBe(SEEDED.stale);
    expect(sample(text, "daxboard_hosts_never_scanned")).toBe(SEEDED.never);
    expect(sample(text, 'daxboard_hosts_by_page_size{page_size="65536"}')).toBe(SEEDED.pageSize65536);
    expect(sample(text, 'daxboard_hosts_by_ch_major{major="41"}')).toBe(SEEDED.ch41);
    expect(sample(text, 'daxboard_hosts_by_ch_major{major="22"}')).toBe(SEEDED.ch22);
    expect(sample(text, 'daxboard_hosts_by_best_path{path="pmem-dax"}')).toBe(1);
    expect(sample(text, 'daxboard_hosts_by_best_path{path="none"}')).toBe(2);
    expect(sample(text, 'daxboard_hosts_by_best_path{path="never"}')).toBe(1);
    expect(sample(text, 'daxboard_hosts_by_platform_class{platform_class="server-acpi"}')).toBe(4);
    expect(sample(text, `daxboard_host_cache_size_bytes{host="${CACHE_HOST.name}"}`)).toBe(CACHE_HOST.bytes);
    expect(sample(text, 'daxboard_host_verdict{host="m-delta",verdict="ready"}')).toBe(1);
    expect(sample(text, "daxboard_host_series_dropped")).toBe(0);
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("counts the scan worker processes connected to the database", async () => {
    const workers = async () =>
      sample((await call(metrics, { path: "/api/metrics", token: scoped })).text, "daxboard_workers");
    expect(await workers()).toBe(0);
    const worker = startWorkerProcess({ DATABASE_URL: process.env.DATABASE_URL! });
    try {
      await waitFor(async () => (await workers()) === 1, 60_000, "the worker to be counted").catch((err) => {
        throw new Error(`${err.message}; worker output:\n${worker.output().slice(-2000)}`);
      });
    } finally {
      await worker.kill("SIGTERM");
    }
    await waitFor(async () => (await workers()) === 0, 30_000, "the stopped worker to leave the count");
  });

  it("caps the per-host series at DAXBOARD_METRICS_HOST_CAP and counts the hosts left out", async () => {
    process.env.DAXBOARD_METRICS_HOST_CAP = "2";
    try {
      const { text } = await call(metrics, { path: "/api/metrics", token: scoped });
      const perHost = text.split("\n").filter((l) => l.startsWith("daxboard_host_verdict{"));
      expect(perHost).toEqual([
        'daxboard_host_verdict{host="m-alpha",verdict="platform-ready"} 1',
        'daxboard_host_verdict{host="m-bravo",verdict="platform-ready"} 1',
      ]);
      expect(sample(text, "daxboard_host_series_dropped")).toBe(4);
      expect(sample(text, 'daxboard_hosts{verdict="platform-ready"}')).toBe(SEEDED.platformReady);
    } finally {
      delete process.env.DAXBOARD_METRICS_HOST_CAP;
    }
  });
});
