import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveDatabase } from "@/lib/db/resolve-database";
import { encryptedKey } from "../support/hostile-keys";
import { freePort } from "../support/processes";

const built = fs.existsSync(".next/BUILD_ID");
if (!built) console.warn("launcher.test.ts: no .next build (npm test builds first); skipping the launcher tests");

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
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DAXBOARD_DATA_DIR: dataDir,
      PORT: String(port),
      DAXBOARD_EMBEDDED_PG_PORT: String(pgPort),
      DAXBOARD_ADMIN_EMAIL: "boot@example.com",
      DAXBOARD_ADMIN_PASSWORD: "boot admin password",
      LOG_LEVEL: "warn",
    };
    delete env.DATABASE_URL;
    delete env.DAXBOARD_TEST_DATABASE_URL;
    let output = "";
    app = spawn(process.execPath, ["--import", "tsx", "lib/cli/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    app.stdout?.on("data", (d) => (output += d));
    app.stderr?.on("data", (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    const health = await until(
      async () => {
        const res = await fetch(`${base}/api/health`);
        return res.ok ? ((await res.json()) as { database: { kind: string; reachable: boolean } }) : undefined;
      },
      60_000,
      `the app (output: ${output})`,
    );
    expect(health.database).toEqual({ kind: "embedded", reachable: true });
    expect(fs.existsSync(path.join(dataDir, "pg", "PG_VERSION"))).toBe(true);
    expect(fs.statSync(path.join(dataDir, "pg")).uid).not.toBe(0);

    // Login takes JSON from the app's own origin only (issue 12).
    const loginBody = JSON.stringify({ email: "boot@example.com", password: "boot admin password" });
    const crossSite = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: loginBody,
    });
    expect(crossSite.status).toBe(403);
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: loginBody,
    });
    expect(login.status).toBe(200);

    // Real responses of the production server carry the security headers, and Next's own scripts the CSP nonce.
    const page = await fetch(`${base}/login`);
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get("permissions-policy")).toContain("camera=()");
    expect(page.headers.get("strict-transport-security")).toBeNull();
    const html = await page.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, tag).toContain(`nonce="${nonce}"`);
    expect((await fetch(`${base}/api/health`)).headers.get("x-content-type-options")).toBe("nosniff");

    const cli = spawnSync(
      process.execPath,
      ["--import", "tsx", "lib/cli/token.ts", "--name", "from-cli", "--role", "admin"],
      { env, encoding: "utf8" },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const token = cli.stdout.trim();
    expect(token).toMatch(/^dxb_/);
    const hosts = await fetch(`${base}/api/hosts`, { headers: { authorization: `Bearer ${token}` } });
    expect(hosts.status).toBe(200);
    // An encrypted key is decrypted in a worker thread (eval'd code requiring ssh2): it works in the built app too.
    const encrypted = await fetch(`${base}/api/hosts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "enc",
        address: "10.9.0.1",
        username: "probe",
        auth: { type: "key", privateKey: encryptedKey(16, "pw 1"), passphrase: "pw 1" },
      }),
    });
    expect(encrypted.status, await encrypted.clone().text()).toBe(201);
    const wrongPassphrase = await fetch(`${base}/api/hosts`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "enc2",
        address: "10.9.0.2",
        username: "probe",
        auth: { type: "key", privateKey: encryptedKey(16, "pw 1"), passphrase: "pw 2" },
      }),
    });
    expect(((await wrongPassphrase.json()) as { error: { field: string } }).error.field).toBe("auth.passphrase");
    // The login was audited with the client's address, as the real server saw it.
    const audit = await fetch(`${base}/api/audit?action=user.login`, { headers: { authorization: `Bearer ${token}` } });
    expect(audit.status).toBe(200);
    const events = ((await audit.json()) as { events: { detail: { address?: string | null } }[] }).events;
    expect(events[0]?.detail.address).toMatch(/127\.0\.0\.1/);

    const exited = new Promise<number | null>((resolve) => app!.once("exit", resolve));
    app.kill("SIGTERM");
    await exited;
    expect(await portOpen(pgPort)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "embedded.json"))).toBe(false);
  }, 120_000);
});
