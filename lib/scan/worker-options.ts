import type { ScanLimits } from "./execute-scan";
import type { WorkerOptions } from "./worker";

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
