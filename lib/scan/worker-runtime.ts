import { closeDb } from "../db";
import { log } from "../log";
import { getBossWhenReachable, stopBoss } from "./queue";
import { startScanWorkers, type ScanWorkers, type WorkerOptions } from "./worker";
import { stopDeadlineMs } from "./worker-options";

export type WorkerRuntime = {
  // The running workers once the database answered; null if the process stopped before it did.
  started: Promise<ScanWorkers | null>;
  // Stops the workers (running scans finish until DAXBOARD_STOP_DEADLINE_SECONDS, then go back to the queue), then
  // pg-boss, then the database pool. Safe to call more than once.
  stop: () => Promise<void>;
};

// The scan workers of one process (`npm run worker`, or the app's in-process workers), from waiting for the
// database to the end of a graceful stop.
export function runScanWorkers(options: WorkerOptions): WorkerRuntime {
  const waiting = new AbortController();
  const started = (async () => {
    const boss = await getBossWhenReachable(waiting.signal);
    if (!boss || waiting.signal.aborted) return null;
    const workers = await startScanWorkers(options);
    log.info({ concurrency: workers.concurrency(), pid: process.pid }, "scan workers started");
    return workers;
  })();
  started.catch((err) => log.error({ err: err instanceof Error ? err.message : String(err) }, "scan workers failed"));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      waiting.abort();
      const workers = await started.catch(() => null);
      await workers?.stop({ deadlineMs: stopDeadlineMs() });
      await stopBoss();
      await closeDb();
      log.info({ pid: process.pid }, "scan workers stopped");
    })());
  return { started, stop };
}

// Runs `stop` on the first SIGTERM or SIGINT, then exits (0, or 1 if the stop failed). Repeats are ignored: a terminal's Ctrl+C reaches a
// process both from the terminal and from the launcher that forwards it. `handOver` takes over the handlers
// installed before (Next's own: close the HTTP server, then exit) and runs them after `stop` instead of `exit`, so
// the web server keeps answering while scans finish and closes only then (Next exits 143 after SIGTERM, 130 after
// SIGINT).
export function stopOnSignals(stop: () => Promise<void>, opts: { handOver?: boolean } = {}): void {
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const previous = opts.handOver ? process.listeners(signal) : [];
    for (const listener of previous) process.removeListener(signal, listener);
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, pid: process.pid }, "stopping");
      void stop().then(
        () => (previous.length ? previous.forEach((listener) => listener(signal)) : process.exit(0)),
        (err: unknown) => {
          log.error({ err: err instanceof Error ? err.message : String(err) }, "graceful stop failed");
          process.exit(1);
        },
      );
    });
  }
}
