import type PgBoss from "pg-boss";
import { getPool } from "../db";
import { log } from "../log";
import { WEBHOOK_QUEUE } from "../scan/queue";
import { webhookConfig } from "./config";
import { attemptDelivery } from "./deliver";
import { onWebhookWake } from "./wake";

export type DeliveryJob = { deliveryId: string };

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

// Deliveries are rows first (stored with the scan that caused them) and jobs second: a sweep queues a job for
// every row that is due, so rows stored while no worker ran (or whose job was lost) are sent once a worker starts.
async function queueDue(boss: PgBoss): Promise<void> {
  const { rows } = await getPool().query<{ id: string }>(
    `select id from "WebhookDelivery" where status in ('pending', 'retrying')
      and ("nextAttemptAt" is null or "nextAttemptAt" <= now()) order by "createdAt" limit 500`,
  );
  if (rows.length) await boss.insert(rows.map((r) => ({ name: WEBHOOK_QUEUE, data: { deliveryId: r.id } })));
}

// The delivery log is bounded: finished deliveries past DAXBOARD_WEBHOOK_KEEP_DAYS go, due ones always stay.
export async function pruneDeliveries(): Promise<number> {
  const { rowCount } = await getPool().query(
    `delete from "WebhookDelivery" where status not in ('pending', 'retrying')
      and "createdAt" < now() - make_interval(days => $1)`,
    [webhookConfig.keepDays()],
  );
  return rowCount ?? 0;
}

const PRUNE_EVERY_MS = 3_600_000;

async function handle(boss: PgBoss, job: PgBoss.Job<DeliveryJob>): Promise<void> {
  try {
    const { retryAt } = await attemptDelivery(job.data.deliveryId);
    if (retryAt) await boss.send(WEBHOOK_QUEUE, { deliveryId: job.data.deliveryId }, { startAfter: retryAt });
  } catch (err) {
    // The row stays due (or leased until its lease ends) and the next sweep queues it again.
    log.warn({ err: errText(err), deliveryId: job.data.deliveryId }, "webhook delivery attempt failed");
  }
}

// Webhook delivery beside the scan workers: its own queue and pg-boss poller, so a slow or dead endpoint holds up
// only other deliveries, never a scan. Returns its stop.
export async function startWebhookWorker(boss: PgBoss): Promise<() => Promise<void>> {
  const running = new Set<Promise<void>>();
  const workerId = await boss.work<DeliveryJob>(
    WEBHOOK_QUEUE,
    { pollingIntervalSeconds: webhookConfig.pollSeconds(), batchSize: 8 },
    async (jobs) => {
      const batch = Promise.all(jobs.map((job) => handle(boss, job))).then(() => undefined);
      running.add(batch);
      await batch.finally(() => running.delete(batch));
    },
  );
  let sweeping: Promise<void> | null = null;
  let prunedAt = 0;
  const pruneHourly = async () => {
    if (Date.now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = Date.now();
    await pruneDeliveries();
  };
  const sweep = () => {
    sweeping ??= queueDue(boss)
      .then(pruneHourly)
      .then(() => boss.notifyWorker(workerId))
      .catch((err) => log.warn({ err: errText(err) }, "queueing due webhook deliveries failed"))
      .finally(() => (sweeping = null));
  };
  sweep();
  const timer = setInterval(sweep, webhookConfig.sweepMs());
  timer.unref();
  const unsubscribe = onWebhookWake(sweep);
  return async () => {
    unsubscribe();
    clearInterval(timer);
    await boss.offWork({ id: workerId }).catch(() => undefined);
    await sweeping;
    await Promise.all(running);
  };
}
