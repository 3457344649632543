import type PgBoss from "pg-boss";
import { getDb } from "../db";
import { log } from "../log";
import { PRUNE_QUEUE } from "../scan/queue";
import { getSettings } from "../settings/settings";
import { pruneHistory, type PruneOptions, type PruneResult } from "./prune-history";

export type PruneJob = { trigger: "schedule" | "admin"; requestedBy?: string };

const HOURLY = "7 * * * *";

// Hourly by default; DAXBOARD_HISTORY_PRUNE_CRON takes any 5-field cron expression (UTC), or `off` for no schedule
// (only "Prune now"; the test suite uses it so a prune never lands in the middle of a file's seeded history).
export const pruneCron = () => process.env.DAXBOARD_HISTORY_PRUNE_CRON?.trim() || HOURLY;
const PRUNE_OFF = "off";

// A cron expression pg-boss refuses must not stop the scan workers starting: it is logged and the hourly
// schedule is used.
async function schedulePrune(boss: PgBoss): Promise<void> {
  const data = { trigger: "schedule" } satisfies PruneJob;
  // The schedule lives in the database: `off` must remove one registered earlier, not just skip registering.
  if (pruneCron() === PRUNE_OFF) return boss.unschedule(PRUNE_QUEUE);
  try {
    await boss.schedule(PRUNE_QUEUE, pruneCron(), data);
  } catch (err) {
    if (pruneCron() === HOURLY) throw err;
    log.error(
      { err: String(err), cron: pruneCron() },
      `DAXBOARD_HISTORY_PRUNE_CRON is not a cron expression pg-boss accepts; pruning history hourly instead`,
    );
    await boss.schedule(PRUNE_QUEUE, HOURLY, data);
  }
}

// One prune with the policy saved in Settings; the run's end and count are kept for the settings page. A run that
// found another one in progress records nothing.
export async function runPrune(options: PruneOptions = {}): Promise<PruneResult> {
  const settings = await getSettings();
  const policy = { keepScans: settings.historyKeepScans, keepDays: settings.historyKeepDays };
  const started = Date.now();
  const result = await pruneHistory(policy, options);
  if (result.skipped) return result;
  await getDb().$executeRaw`
    insert into "Settings" (id, "updatedAt", "historyPrunedAt", "historyPrunedScans")
    values ('default', now(), now(), ${result.deleted})
    on conflict (id) do update
      set "historyPrunedAt" = excluded."historyPrunedAt", "historyPrunedScans" = excluded."historyPrunedScans"`;
  log.info({ ...result, ...policy, ms: Date.now() - started }, "pruned scan history");
  return result;
}

// "Prune now" in this process starts at once on this process's worker instead of at its next poll.
const wakers = new Set<() => void>();
export function wakePruneWorkers(): void {
  for (const wake of wakers) wake();
}

async function handle(job: PgBoss.Job<PruneJob>, signal: AbortSignal): Promise<void> {
  try {
    const result = await runPrune({ signal });
    if (result.skipped) log.info({ trigger: job.data.trigger }, "history prune skipped: another one is running");
  } catch (err) {
    log.warn({ err: String(err), trigger: job.data.trigger }, "history prune failed");
    throw err;
  }
}

// Bounded scan history (issue 15 item 4): the queue worker that prunes old scans, beside the scan workers (started
// by startScanWorkers in the app and in `npm run worker`). The schedule is stored in pg-boss, so every process
// registering it keeps one schedule, which pg-boss fires once per slot. Prune jobs run one at a time per process
// (and one at a time overall, see pruneHistory), off the scan workers' fetch loop, so a prune never holds up a scan.
export async function startPruneWorker(boss: PgBoss): Promise<() => Promise<void>> {
  await schedulePrune(boss);
  const abort = new AbortController();
  let current: Promise<unknown> = Promise.resolve();
  const workerId = await boss.work<PruneJob>(PRUNE_QUEUE, { pollingIntervalSeconds: 10 }, async (jobs) => {
    for (const job of jobs) {
      const run = handle(job, abort.signal);
      current = run.catch(() => undefined);
      await run;
    }
  });
  const wake = () => boss.notifyWorker(workerId);
  wakers.add(wake);
  // A stop ends a running prune after its current statement.
  return async () => {
    wakers.delete(wake);
    abort.abort();
    await boss.offWork({ id: workerId }).catch(() => undefined);
    await current;
  };
}
