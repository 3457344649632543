import type { Prisma } from "../generated/prisma/client";
import { log } from "../log";
import type { WebhookPayload } from "./events";
import { wakeWebhookWorkers } from "./wake";

type Tx = Prisma.TransactionClient;

export type FailureEventInput = {
  scanId: string;
  hostId: string;
  errorClass: string;
  // The host's lastErrorClass before this failure: a mismatch already reported is not reported again.
  previousErrorClass: string | null;
};

// Failures since the host's last successful scan, this one included.
async function failureStreak(tx: Tx, hostId: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    select count(*)::int as n from "Scan" s
    where s."hostId" = ${hostId} and s.status = 'failed' and s."finishedAt" > coalesce(
      (select max(p."finishedAt") from "Scan" p where p."hostId" = ${hostId} and p.status = 'succeeded'),
      '-infinity')`;
  return row?.n ?? 0;
}

async function insertFailureEvents(tx: Tx, input: FailureEventInput): Promise<number> {
  const hooks = await tx.webhook.findMany({
    where: { enabled: true, events: { hasSome: ["host-key-changed", "scan-failed-repeatedly"] } },
    select: { id: true, events: true, failureThreshold: true },
  });
  if (hooks.length === 0) return 0;
  const host = await tx.host.findUnique({
    where: { id: input.hostId },
    select: { id: true, name: true, address: true },
  });
  if (!host) return 0;
  const keyChanged = input.errorClass === "host-key-mismatch" && input.previousErrorClass !== "host-key-mismatch";
  const streak = hooks.some((h) => h.events.includes("scan-failed-repeatedly")) ? await failureStreak(tx, host.id) : 0;
  const base = { occurredAt: new Date().toISOString(), host, scanId: input.scanId, errorClass: input.errorClass };
  const rows: Prisma.WebhookDeliveryCreateManyInput[] = [];
  for (const hook of hooks) {
    const events: WebhookPayload[] = [];
    if (keyChanged && hook.events.includes("host-key-changed")) events.push({ ...base, event: "host-key-changed" });
    // Exactly at the threshold: one alert per run of failures, not one per failure after it.
    if (streak === hook.failureThreshold && hook.events.includes("scan-failed-repeatedly"))
      events.push({ ...base, event: "scan-failed-repeatedly", failures: streak });
    for (const payload of events)
      rows.push({
        webhookId: hook.id,
        event: payload.event,
        hostId: host.id,
        payload: payload as Prisma.InputJsonValue,
        nextAttemptAt: new Date(),
      });
  }
  if (rows.length) await tx.webhookDelivery.createMany({ data: rows });
  return rows.length;
}

// Called inside the transaction that records a failed scan, so its events commit with it. A savepoint keeps a
// webhook error from failing the scan record: it is logged and the scan is stored without its events.
export async function emitFailureEvents(tx: Tx, input: FailureEventInput): Promise<() => void> {
  await tx.$executeRawUnsafe("savepoint webhook_events");
  try {
    const inserted = await insertFailureEvents(tx, input);
    await tx.$executeRawUnsafe("release savepoint webhook_events");
    return inserted ? wakeWebhookWorkers : () => undefined;
  } catch (err) {
    await tx.$executeRawUnsafe("rollback to savepoint webhook_events");
    log.warn({ err: err instanceof Error ? err.message : String(err), scanId: input.scanId }, "webhook events lost");
    return () => undefined;
  }
}
