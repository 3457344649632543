import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { BackupError } from "./backup-format";

// PostgreSQL's own client programs (pg_dump, pg_restore), when this machine has them in a version that can work
// with the server: a pg_dump older than the server refuses to dump it, and pg_restore must read what the server's
// pg_dump wrote. The embedded package ships neither, so callers fall back to DAXboard's logical format.
export type PgToolName = "pg_dump" | "pg_restore";
export type PgTool = { file: string; major: number };
export type PgToolChoice = { tool: PgTool; reason?: undefined } | { tool?: undefined; reason: string };

const VERSIONED_DIRS = "/usr/lib/postgresql";

export async function serverMajor(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ server_version_num: string }>("show server_version_num");
  return Math.floor(Number(rows[0]!.server_version_num) / 10_000);
}

// DAXBOARD_PG_BINDIR pins one folder (say a PGDG /usr/lib/postgresql/18/bin); otherwise PATH, then every
// /usr/lib/postgresql/<N>/bin, where Debian keeps the versions that PATH's wrapper does not pick.
function searchDirs(): string[] {
  const pinned = process.env.DAXBOARD_PG_BINDIR;
  if (pinned) return [pinned];
  const fromPath = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const versions = fs.existsSync(VERSIONED_DIRS) ? fs.readdirSync(VERSIONED_DIRS) : [];
  return [...fromPath, ...versions.map((v) => path.join(VERSIONED_DIRS, v, "bin"))];
}

// The app's own secrets stay out of every child's environment.
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.DAXBOARD_SECRET_KEY;
  return env;
}

function toolMajor(file: string): number | undefined {
  const run = spawnSync(file, ["--version"], { encoding: "utf8", timeout: 10_000, env: childEnv() });
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(run.stdout ?? "");
  return match ? Number(match[1]) : undefined;
}

function installedTools(name: PgToolName): PgTool[] {
  const seen = new Set<string>();
  const tools: PgTool[] = [];
  for (const dir of searchDirs()) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    const real = fs.realpathSync(file);
    if (seen.has(real)) continue;
    seen.add(real);
    const major = toolMajor(file);
    if (major !== undefined) tools.push({ file, major });
  }
  return tools;
}

// The newest `name` whose major version is at least the server's, or one line saying why there is none.
export function findPgTool(name: PgToolName, server: number): PgToolChoice {
  const tools = installedTools(name);
  const usable = tools.filter((t) => t.major >= server).sort((a, b) => b.major - a.major);
  if (usable[0]) return { tool: usable[0] };
  const found = tools.length > 0 ? `found ${[...new Set(tools.map((t) => t.major))].join(", ")}` : "none found";
  return { reason: `no ${name} ≥ ${server} on this machine (${found})` };
}

// The connection as libpq environment variables: nothing of it, least of all the password, goes into argv
// (which `ps` shows every user).
export function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env = childEnv();
  const set = (name: string, value: string | null | undefined) => {
    if (value) env[name] = value;
  };
  set("PGHOST", u.searchParams.get("host") ?? decodeURIComponent(u.hostname).replace(/^\[|\]$/g, ""));
  set("PGPORT", u.port || "5432");
  set("PGUSER", decodeURIComponent(u.username));
  set("PGPASSWORD", decodeURIComponent(u.password));
  set("PGDATABASE", decodeURIComponent(u.pathname.slice(1)));
  set("PGSSLMODE", u.searchParams.get("sslmode"));
  return env;
}

// Runs a PostgreSQL tool; a failure becomes one line with the tool's first error.
export async function runPgTool(tool: PgTool, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(tool.file, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code === 0) return stdout;
  const line = stderr.split("\n").find((l) => /error|fatal/i.test(l)) ?? stderr.split("\n")[0];
  throw new BackupError(`${path.basename(tool.file)} ${tool.major} failed: ${line?.trim() || `exit ${code}`}`);
}
