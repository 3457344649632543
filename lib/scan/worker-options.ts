import type { ScanLimits } from "./execute-scan";
import type { WorkerOptions } from "./worker";

// V8 flags for every process that runs scan workers (`npm run worker`, and the app, whose workers run
// in-process). A scan allocates about 100 KB of short-lived strings and objects (probe output, facts, JSON);
// with V8's default 16 MB semi-space the young generation filled every few dozen scans and survivors were
// promoted early. 64 MB cut the worker's CPU per scan in the bench from about 4.1 to 3.3 ms. package.json's
// "worker" script spells the same flag.
export const WORKER_NODE_FLAGS = ["--max-semi-space-size=64"];

const num = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);

// Worker settings from the environment; unset deadlines keep lib/ssh's defaults (10 s connect, 30 s exec,
// 45 s per scan, 1 MiB output).
export function workerOptionsFromEnv(): WorkerOptions {
  const limits: ScanLimits = {};
  const pairs = [
    ["connectTimeoutMs", "DAXBOARD_SSH_CONNECT_TIMEOUT_MS"],
    ["execTimeoutMs", "DAXBOARD_SSH_EXEC_TIMEOUT_MS"],
    ["scanTimeoutMs", "DAXBOARD_SSH_SCAN_TIMEOUT_MS"],
    ["maxOutputBytes", "DAXBOARD_SSH_MAX_OUTPUT_BYTES"],
  ] as const;
  for (const [key, env] of pairs) {
    const value = num(env);
    if (value !== undefined) limits[key] = value;
  }
  return {
    concurrency: num("DAXBOARD_WORKER_CONCURRENCY") ?? 32,
    pollMs: num("DAXBOARD_WORKER_POLL_MS"),
    maintenanceMs: num("DAXBOARD_WORKER_MAINTENANCE_MS"),
    limits,
  };
}

// How long a stop (SIGTERM/SIGINT) lets running scans finish before returning them to the queue. 25 s leaves room,
// within the 90 s systemd gives a unit to stop, for the release, the web server and the database.
export function stopDeadlineMs(): number {
  return (num("DAXBOARD_STOP_DEADLINE_SECONDS") ?? 25) * 1000;
}
