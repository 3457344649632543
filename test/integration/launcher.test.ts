import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveDatabase } from "@/lib/db/resolve-database";

const built = fs.existsSync(".next/BUILD_ID");
if (!built) console.warn("launcher.test.ts: no .next build (npm test builds first); skipping the launcher tests");

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => socket.destroy() && resolve(true));
    socket.once("error", () => resolve(false));
  });

async function until<T>(fn: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("database selection", () => {
  it("uses DATABASE_URL when it is set, without starting anything", async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = "postgresql://someone@db.example:5432/daxboard";
    try {
      const db = await resolveDatabase();
      expect(db).toMatchObject({ kind: "external", url: "postgresql://someone@db.example:5432/daxboard" });
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });
});

// `npm start`'s launcher with no DATABASE_URL: the embedded PostgreSQL starts, is migrated, serves the app and
// the token CLI beside it, and stops with the app. Needs the production build npm test makes first.
describe.skipIf(!built)("launcher on the embedded default", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-launch-"));
  fs.chmodSync(dataDir, 0o755);
  let app: ChildProcess | undefined;
  afterAll(async () => {
    if (app && app.exitCode === null) app.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts on the embedded database, creates the env admin, serves the token CLI, and stops cleanly", async () => {
    const port = await freePort();
    const pgPort = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DAXBOARD_DATA_DIR: dataDir, PORT: String(port), DAXBOARD_EMBEDDED_PG_PORT: String(pgPort), DAXBOARD_ADMIN_EMAIL: "boot@example.com", DAXBOARD_ADMIN_PASSWORD: "boot admin password", LOG_LEVEL: "warn" };
    delete env.DATABASE_URL;
    delete env.DAXBOARD_TEST_DATABASE_URL;
    let output = "";
    app = spawn(process.execPath, ["--import", "tsx", "lib/cli/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    app.stdout?.on("data", (d) => (output += d));
    app.stderr?.on("data", (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    const health = await until(async () => {
      const res = await fetch(`${base}/api/health`);
      return res.ok ? ((await res.json()) as { database: { kind: string; reachable: boolean } }) : undefined;
    }, 60_000, `the app (output: ${output})`);
    expect(health.database).toEqual({ kind: "embedded", reachable: true });
    expect(fs.existsSync(path.join(dataDir, "pg", "PG_VERSION"))).toBe(true);
    expect(fs.statSync(path.join(dataDir, "pg")).uid).not.toBe(0);

    const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "boot@example.com", password: "boot admin password" }) });
    expect(login.status).toBe(200);

    const cli = spawnSync(process.execPath, ["--import", "tsx", "lib/cli/token.ts", "--name", "from-cli", "--role", "viewer"], { env, encoding: "utf8" });
    expect(cli.status, cli.stderr).toBe(0);
    const token = cli.stdout.trim();
    expect(token).toMatch(/^dxb_/);
    const hosts = await fetch(`${base}/api/hosts`, { headers: { authorization: `Bearer ${token}` } });
    expect(hosts.status).toBe(200);

    const exited = new Promise<number | null>((resolve) => app!.once("exit", resolve));
    app.kill("SIGTERM");
    await exited;
    expect(await portOpen(pgPort)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "embedded.json"))).toBe(false);
  }, 120_000);
});
