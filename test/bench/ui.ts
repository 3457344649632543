// Bench: time to first render of the fleet page — from navigation until the host table's rows are visible — in
// headless Chromium against the production build (made first when missing or stale: next-build.ts) on a database
// seeded with 10,000 hosts.
// The database comes from DAXBOARD_BENCH_DATABASE_URL, or from a seeding function test/bench/fleet.ts exports.
// Prints `bench ui.fleet_render_ms <median> ms` (target < 1.5 s) and the p95 beside it.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { ensureProductionBuild } from "./next-build";

const RUNS = 7;
const BENCH_EMAIL = "ui-bench@example.com";
type Seeded = { url: string; drop?: () => Promise<void> };

// The fleet bench owns seeding; use its exported seeder when no ready database is given.
async function seededDatabase(): Promise<Seeded> {
  const given = process.env.DAXBOARD_BENCH_DATABASE_URL;
  if (given) return { url: given };
  const fleet = (await import("./fleet")) as Record<string, unknown>;
  const seed = (fleet.seedBenchDatabase ?? fleet.seedFleetDatabase) as ((hosts: number) => Promise<Seeded>) | undefined;
  if (typeof seed !== "function") {
    throw new Error(
      "set DAXBOARD_BENCH_DATABASE_URL to a database seeded with 10,000 hosts (test/bench/fleet.ts exports no seedBenchDatabase(hosts) yet)",
    );
  }
  return seed(10_000);
}

// A session cookie for a bench admin, made directly in the database: the bench never needs anyone's password.
async function benchSession(): Promise<string> {
  const { getDb } = await import("../../lib/db");
  const { createSession } = await import("../../lib/auth/sessions");
  const { hashPassword } = await import("../../lib/auth/password");
  const db = getDb();
  const user =
    (await db.user.findUnique({ where: { email: BENCH_EMAIL }, select: { id: true } })) ??
    (await db.user.create({
      data: {
        email: BENCH_EMAIL,
        displayName: "UI bench",
        role: "viewer",
        passwordHash: await hashPassword(crypto.randomUUID()),
      },
      select: { id: true },
    }));
  return (await createSession(user.id)).token;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startApp(url: string, port: number): Promise<ChildProcess> {
  const app = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        DAXBOARD_DB_KIND: "external",
        DAXBOARD_IN_PROCESS_WORKERS: "0",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (app.exitCode !== null)
      throw new Error(`next start exited with ${app.exitCode} (is the production build complete?)`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return app;
    await new Promise((r) => setTimeout(r, 200));
  }
  app.kill();
  throw new Error("the app did not become healthy within 60 s");
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export async function run(): Promise<void> {
  ensureProductionBuild(process.cwd());
  const db = await seededDatabase();
  process.env.DATABASE_URL = db.url;
  const token = await benchSession();
  const port = await freePort();
  const app = await startApp(db.url, port);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    const total = await fetch(`${base}/api/hosts?pageSize=1`, {
      headers: { cookie: `daxboard_session=${token}` },
    }).then((r) => r.json() as Promise<{ total: number }>);
    const times: number[] = [];
    // One warm-up load (server caches, Chromium's disk cache), then fresh contexts: each run is a cold tab.
    for (let i = 0; i <= RUNS; i++) {
      const context = await browser.newContext();
      await context.addCookies([{ name: "daxboard_session", value: token, domain: "127.0.0.1", path: "/" }]);
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${base}/`, { waitUntil: "commit" });
      await page
        .locator("[data-testid=fleet-table] tbody tr[data-host-id]")
        .first()
        .waitFor({ state: "visible", timeout: 30_000 });
      const elapsed = performance.now() - started;
      if (i > 0) times.push(elapsed);
      await context.close();
    }
    times.sort((a, b) => a - b);
    console.log(`# fleet page over ${total.total} hosts, ${RUNS} cold tabs`);
    console.log(`bench ui.fleet_render_ms ${percentile(times, 50).toFixed(0)} ms`);
    console.log(`bench ui.fleet_render_p95_ms ${percentile(times, 95).toFixed(0)} ms`);
  } finally {
    await browser.close();
    app.kill();
    const { closeDb } = await import("../../lib/db");
    await closeDb().catch(() => undefined);
    await db.drop?.();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
