import { setMaxListeners } from "node:events";
import type PgBoss from "pg-boss";
import { getDb } from "../db";
import { startPruneWorker } from "../history/prune-worker";
import { log } from "../log";
import { startWebhookWorker } from "../webhooks/delivery-worker";
import { executeScan, type ScanLimits } from "./execute-scan";
import { getBoss, SCAN_QUEUE, type ScanJob } from "./queue";
import { reapLostScans } from "./reap-lost-scans";
import { reassessFleet } from "./reassess";
import { startReassessWorker } from "./reassess-runs";
import { releaseJobs } from "./release-scans";
import { runScheduledRescans } from "./schedule";
import { onWake } from "./wake";
import { startWorkerPresence } from "./worker-presence";

// `followSettings`: take the concurrency an admin saves in Settings (checked each maintenance tick), as the app's
// own workers do; `npm run worker` processes keep the concurrency they were started with.
export type WorkerOptions = {
  concurrency: number;
  limits?: ScanLimits;
  pollMs?: number;
  maintenanceMs?: number;
  followSettings?: boolean;
};

// `deadlineMs`: how long running scans may take to finish before they go back to the queue; unset waits for all.
export type StopOptions = { deadlineMs?: number };

export type ScanWorkers = {
  stop: (options?: StopOptions) => Promise<void>;
  inFlight: () => number;
  concurrency: () => number;
};

const sleep = (ms: number, signal: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });

// True once `done()` holds, false if `ms` passes first (unbounded without ms).
async function waitUntil(done: () => boolean, ms = Infinity): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

// A fetch loop over pg-boss instead of boss.work(): it refills free slots the moment a scan ends, so throughput
// follows the SSH work rather than the polling interval (pg-boss 10 fetches one batch per interval).
export async function startScanWorkers(options: WorkerOptions): Promise<ScanWorkers> {
  const boss = await getBoss();
  // A new RULES_VERSION re-derives every stored host from its raw output (or facts), each against its own guest
  // profile, without a rescan (idempotent, so every worker process may run it).
  void reassessFleet({ onlyOutdatedRulesVersion: true })
    .then(
      (r) =>
        r.hosts > 0 &&
        log.info({ hosts: r.hosts, verdictChanged: r.verdictChanged }, "re-assessed hosts for new rules"),
    )
    .catch((err) => log.warn({ err: String(err) }, "re-assessment for new rules failed"));
  const stopReassess = await startReassessWorker(boss);
  // A helper that fails to start must not leave the ones started before it subscribed (wake-ups, queue workers).
  let stopPrune: (() => Promise<void>) | undefined;
  let stopWebhooks: () => Promise<void>;
  try {
    stopPrune = await startPruneWorker(boss);
    stopWebhooks = await startWebhookWorker(boss);
  } catch (err) {
    await stopPrune?.().catch(() => undefined);
    await stopReassess().catch(() => undefined);
    throw err;
  }
  const stopPresence = process.env.DATABASE_URL ? startWorkerPresence(process.env.DATABASE_URL) : async () => {};
  const pollMs = options.pollMs ?? 1000;
  let running = true;
  let inFlight = 0;
  let storing = 0;
  let concurrency = options.concurrency;
  const followSettings = async () => {
    const saved = (await getDb().settings.findUnique({ where: { id: "default" }, select: { workerConcurrency: true } }))
      ?.workerConcurrency;
    if (saved && saved !== concurrency) {
      log.info({ from: concurrency, to: saved }, "worker concurrency changed in settings");
      concurrency = saved;
    }
  };
  if (options.followSettings)
    await followSettings().catch((err) => log.warn({ err: String(err) }, "reading settings failed"));
  const signal: { wake?: () => void } = {};
  const kick = () => signal.wake?.();
  // Set when a fetch found fewer jobs than it asked for: the queue is empty for now, so an ending scan no longer
  // triggers a fetch (which would find nothing); new work wakes the loop, whichever process stored it (wake.ts), and
  // the poll finds what a lost notification did not announce.
  let drained = false;
  const slotFreed = () => {
    if (!drained) kick();
  };
  const unsubscribe = onWake(() => {
    drained = false;
    kick();
  });
  // Aborted when a stop's deadline passes: the scans still connected go back to the queue (release-scans.ts).
  const release = new AbortController();
  // Every scan in flight listens on it (removed when the scan ends), so its listener count is the concurrency: far
  // past Node's default of 10, which would print MaxListenersExceededWarning on every start.
  setMaxListeners(0, release.signal);
  const released: string[] = [];

  // Finished jobs are completed in batches, off the scan's slot: the scan row already holds the outcome, and a
  // job lost before its batch is flushed only expires, is redelivered and is skipped (claimScan finds it ended).
  const toComplete: string[] = [];
  let flushing: Promise<void> | null = null;
  const flushCompletions = () => {
    if (flushing || toComplete.length === 0) return;
    const ids = toComplete.splice(0);
    flushing = boss
      .complete(SCAN_QUEUE, ids)
      .catch((err) =>
        log.warn({ err: String(err), jobs: ids.length }, "completing jobs failed; they will expire and be skipped"),
      )
      .finally(() => {
        flushing = null;
        flushCompletions();
      });
  };

  // SSH slots: at most `concurrency` scans past sshSlot() and not yet done with their connection, granted in order.
  let sshOpen = 0;
  const sshWaiters: (() => void)[] = [];
  const grantSshSlots = () => {
    while (sshWaiters.length > 0 && sshOpen < concurrency) {
      sshOpen++;
      sshWaiters.shift()!();
    }
  };
  const freeSshSlot = () => {
    sshOpen--;
    grantSshSlots();
  };

  async function handle(
    job: PgBoss.JobWithMetadata<ScanJob>,
    sshSlot: () => Promise<void>,
    onSshDone: () => void,
  ): Promise<void> {
    try {
      const finalAttempt = job.retryCount >= job.retryLimit;
      const outcome = await executeScan(job.data.scanId, {
        finalAttempt,
        limits: options.limits,
        sshSlot,
        onSshDone,
        release: release.signal,
      });
      if (outcome === "retry") await boss.fail(SCAN_QUEUE, job.id, { reason: "transient" });
      else if (outcome === "released") released.push(job.id);
      else {
        toComplete.push(job.id);
        flushCompletions();
      }
    } catch (err) {
      // Usually the database went away mid-scan. Leave the job to pg-boss: it expires and is retried.
      log.warn({ err: err instanceof Error ? err.message : String(err), scanId: job.data.scanId }, "scan interrupted");
      await boss.fail(SCAN_QUEUE, job.id, { reason: "interrupted" }).catch(() => undefined);
    }
  }

  const loop = (async () => {
    let backoff = pollMs;
    while (running) {
      // `concurrency` bounds open SSH connections (the SSH slots above); up to a quarter more scans are fetched and
      // claimed ahead, so a freed slot goes to a scan that is ready to connect instead of one still waiting on the
      // queue and the claim. A scan whose connection has closed but whose result is still being stored no longer
      // counts, but counts toward a second bound so a slow database pushes back.
      const ahead = Math.ceil(concurrency / 4);
      const free = Math.min(concurrency + ahead - inFlight, 2 * concurrency - inFlight - storing);
      // pg-boss picks the oldest jobs by an order no index serves, so every fetch reads every queued job of the
      // queue: 12 ms of PostgreSQL time per fetch at 10,000 queued scans (the fleet bench, pg_stat_statements). A busy
      // worker therefore fetches once half its scans claimed ahead are used up, not as each scan ends: the other half
      // keeps its SSH slots fed meanwhile.
      if (free < Math.max(1, Math.floor(ahead / 2))) {
        await sleep(pollMs, signal);
        continue;
      }
      let jobs: PgBoss.JobWithMetadata<ScanJob>[] = [];
      try {
        jobs = await boss.fetch<ScanJob>(SCAN_QUEUE, { batchSize: free, includeMetadata: true });
        drained = jobs.length < free;
        backoff = pollMs;
      } catch (err) {
        // Database restart: back off up to 5 s and keep polling, never crash-loop.
        log.warn({ err: err instanceof Error ? err.message : String(err) }, "queue fetch failed; retrying");
        backoff = Math.min(backoff * 2, 5000);
        await sleep(backoff, signal);
        continue;
      }
      for (const job of jobs) {
        inFlight++;
        // Waiting for an SSH slot, then holding one, then done with SSH (connection closed, or never made).
        let phase: "waiting" | "ssh" | "done" = "waiting";
        const sshSlot = () =>
          new Promise<void>((resolve) => {
            sshWaiters.push(() => {
              // Granted after the scan ended without it (released while waiting): hand the slot on.
              if (phase === "done") return freeSshSlot();
              phase = "ssh";
              resolve();
            });
            grantSshSlots();
          });
        const releaseSlot = () => {
          if (phase === "done") return;
          const held = phase === "ssh";
          phase = "done";
          inFlight--;
          storing++;
          if (held) freeSshSlot();
          slotFreed();
        };
        void handle(job, sshSlot, releaseSlot).finally(() => {
          // A scan skipped or failed before connecting never released its slot.
          releaseSlot();
          storing--;
          slotFreed();
        });
      }
      if (jobs.length === 0) await sleep(pollMs, signal);
    }
  })();

  const maintenance = setInterval(() => {
    void reapLostScans().catch((err) => log.warn({ err: String(err) }, "reaper failed"));
    void runScheduledRescans().catch((err) => log.warn({ err: String(err) }, "scheduled rescans failed"));
    if (options.followSettings)
      void followSettings().catch((err) => log.warn({ err: String(err) }, "reading settings failed"));
  }, options.maintenanceMs ?? 30_000);
  maintenance.unref();

  return {
    inFlight: () => inFlight,
    concurrency: () => concurrency,
    // Takes no new job, lets running scans finish until the deadline, then returns the rest to the queue. Scans
    // whose connection is done are always stored (a matter of milliseconds). Every scan so ends succeeded, failed
    // or queued again with its job available at once.
    stop: async ({ deadlineMs }: StopOptions = {}) => {
      running = false;
      clearInterval(maintenance);
      unsubscribe();
      kick();
      const reassessStopped = stopReassess(deadlineMs);
      await stopPrune();
      await stopWebhooks();
      await stopPresence();
      await loop;
      if (inFlight > 0) log.info({ running: inFlight, deadlineMs }, "stopping: waiting for running scans");
      if (!(await waitUntil(() => inFlight === 0, deadlineMs))) {
        log.info({ running: inFlight }, "stop deadline passed: returning running scans to the queue");
        release.abort();
      }
      await waitUntil(() => {
        flushCompletions();
        return inFlight === 0 && storing === 0 && !flushing && toComplete.length === 0;
      });
      await releaseJobs(boss, released).catch((err) =>
        log.warn(
          { err: String(err), jobs: released.length },
          "releasing jobs failed; their scans are queued and the jobs expire and are retried",
        ),
      );
      if (released.length) log.info({ scans: released.length }, "scans returned to the queue");
      await reassessStopped;
    },
  };
}
