import pg from "pg";
import PgBoss from "pg-boss";
import { getPool } from "../db";
import { log } from "../log";

export const SCAN_QUEUE = "scan";
export const REASSESS_QUEUE = "reassess";
export const PRUNE_QUEUE = "prune-history";
export const WEBHOOK_QUEUE = "webhook-delivery";

export type ScanJob = { scanId: string };

// Queue tuning. A job outlives the 45 s scan deadline by a margin; after that pg-boss expires it (the worker
// holding it is presumed dead) and retries it. Retries of transient failures back off from retryDelay.
export function queueOptions() {
  return {
    expireInSeconds: Number(process.env.DAXBOARD_SCAN_EXPIRE_SECONDS ?? 75),
    retryLimit: Number(process.env.DAXBOARD_SCAN_RETRY_LIMIT ?? 2),
    retryDelay: Number(process.env.DAXBOARD_SCAN_RETRY_DELAY_SECONDS ?? 5),
    retryBackoff: true,
  };
}

const holder = globalThis as unknown as { __daxboardBoss?: Promise<PgBoss> };

async function createBoss(url: string): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    max: 8,
    // Expired jobs of killed workers are found within this interval.
    maintenanceIntervalSeconds: Number(process.env.DAXBOARD_QUEUE_MAINTENANCE_SECONDS ?? 20),
  });
  // A database restart surfaces here as connection errors; pg-boss reconnects on its own, so log, don't crash.
  boss.on("error", (err) => log.warn({ err: err.message }, "queue error"));
  try {
    await boss.start();
    await ensureQueues(boss, url);
  } catch (err) {
    // A start that failed (database down) still opened a pool: close it, the next attempt makes a new PgBoss.
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw err;
  }
  return boss;
}

// pg-boss's create_queue attaches a partition to its job table: two processes creating queues at once (the app and
// a worker starting together) deadlock, and PostgreSQL aborts one of them with "deadlock detected". Queue creation
// is serialised across processes by an advisory lock, and skipped for queues that exist.
const QUEUE_CREATION_LOCK = 0x44_41_58_51; // "DAXQ"

export async function ensureQueues(boss: PgBoss, url: string): Promise<void> {
  const wanted: [string, PgBoss.Queue][] = [
    [SCAN_QUEUE, { name: SCAN_QUEUE, ...queueOptions() }],
    // A re-assessment records its own failure in its ReassessRun; only a worker that died mid-run (the job expires)
    // has it run again.
    [REASSESS_QUEUE, { name: REASSESS_QUEUE, expireInSeconds: 30 * 60, retryLimit: 1 }],
    // Pruning is idempotent and scheduled again; a failed run simply waits for the next one.
    [PRUNE_QUEUE, { name: PRUNE_QUEUE, expireInSeconds: 30 * 60, retryLimit: 0 }],
    // A delivery's retries and backoff are kept on its WebhookDelivery row (lib/webhooks/deliver.ts), not by pg-boss.
    [WEBHOOK_QUEUE, { name: WEBHOOK_QUEUE, expireInSeconds: 5 * 60, retryLimit: 0 }],
  ];
  const missing = async () => {
    const found = await Promise.all(wanted.map(([name]) => boss.getQueue(name)));
    return wanted.filter((_, i) => !found[i]);
  };
  if ((await missing()).length === 0) return;
  const lock = new pg.Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [QUEUE_CREATION_LOCK]);
    for (const [name, options] of await missing()) await boss.createQueue(name, options);
  } finally {
    await lock.end().catch(() => undefined);
  }
}

// One pg-boss per process, started on first use.
export function getBoss(url = process.env.DATABASE_URL): Promise<PgBoss> {
  if (!url) return Promise.reject(new Error("DATABASE_URL is not set"));
  holder.__daxboardBoss ??= createBoss(url).catch((err) => {
    holder.__daxboardBoss = undefined;
    throw err;
  });
  return holder.__daxboardBoss;
}

export async function stopBoss(): Promise<void> {
  const current = holder.__daxboardBoss;
  holder.__daxboardBoss = undefined;
  if (current) await (await current).stop({ graceful: false, wait: true }).catch(() => undefined);
}

// PostgreSQL plans pg-boss's statements on the statistics of the queue's partition, which autovacuum refreshes at
// most once a minute (autovacuum_naptime). A bulk request that grows the scan partition from a few rows to thousands
// leaves them stale for that minute, and on statistics that count a few dozen rows pg-boss's complete() read every
// job of the queue for each batch it completed: 6.3 ms of PostgreSQL time per call at 10,000 queued scans (the
// fleet bench, auto_explain), about a fifth of the database's work per scan. A large enqueue therefore refreshes the
// partition's statistics at once; ANALYZE samples at most 30,000 rows and blocks no reads or writes.
// The partition's name comes from pg-boss's own queue table ('j' and a SHA-224 in hex), checked before it is used.
export async function analyzeQueue(name: string): Promise<void> {
  const { rows } = await getPool().query<{ partition: string | null }>(
    "select partition_name as partition from pgboss.queue where name = $1",
    [name],
  );
  const partition = rows[0]?.partition;
  if (!partition || !/^j[0-9a-f]{56}$/.test(partition)) throw new Error(`queue ${name} has no partition to analyze`);
  await getPool().query(`analyze pgboss.${partition}`);
}

const MAX_RETRY_SECONDS = 15;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

// The queue once the database answers: a worker started while PostgreSQL is down (a reboot brings the worker up
// first, or the database restarts) waits for it, trying again after 1, 2, 4 … 15 s with one log line per failed
// attempt, instead of exiting or never starting. Null when `signal` aborts first (the process is stopping).
export async function getBossWhenReachable(signal: AbortSignal): Promise<PgBoss | null> {
  for (let seconds = 1; !signal.aborted; seconds = Math.min(seconds * 2, MAX_RETRY_SECONDS)) {
    try {
      return await getBoss();
    } catch (err) {
      if (signal.aborted) break;
      const reason = err instanceof Error ? err.message : String(err);
      log.warn({ err: reason }, `database not reachable, retrying in ${seconds} s`);
      await pause(seconds * 1000, signal);
    }
  }
  return null;
}
