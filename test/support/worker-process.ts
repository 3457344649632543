import { spawn, type ChildProcess } from "node:child_process";
import { WORKER_NODE_FLAGS } from "../../lib/scan/worker-options";

export type WorkerProcess = {
  child: ChildProcess;
  output: () => string;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
};

// Starts `npm run worker` (lib/cli/worker.ts under tsx) as a separate OS process against a database.
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  // `--import tsx` keeps the worker in this one process (the tsx CLI would fork a child), so its pid is the worker's.
  const extra = process.env.DAXBOARD_WORKER_NODE_ARGS ? process.env.DAXBOARD_WORKER_NODE_ARGS.split(" ") : [];
  // The same V8 flags as `npm run worker`.
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, ...extra, "--import", "tsx", "lib/cli/worker.ts"], {
    env: { ...process.env, LOG_LEVEL: "info", DAXBOARD_WORKER_POLL_MS: "100", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return {
    child,
    output: () => output,
    kill: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

export async function waitFor(
  predicate: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
