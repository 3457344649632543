import "server-only";
import type { Prisma } from "../generated/prisma/client";
import { getDb } from "../db";
import { notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import type { WebhookPayload } from "./events";
import { wakeWebhookWorkers } from "./wake";

// The endpoint's delivery log, newest first.
export async function listDeliveries(webhookId: string, take = 50) {
  const found = await getDb().webhook.findUnique({ where: { id: webhookId }, select: { id: true } });
  if (!found) throw notFound("Webhook");
  return getDb().webhookDelivery.findMany({
    where: { webhookId },
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      event: true,
      hostId: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastLatencyMs: true,
      lastError: true,
      nextAttemptAt: true,
      createdAt: true,
      deliveredAt: true,
    },
  });
}

// "Send test event": a delivery like any other (queued, signed, retried, logged), even to a disabled endpoint
// whose admin wants to check it before re-enabling it.
export async function sendTestEvent(actor: Actor, webhookId: string) {
  const hook = await getDb().webhook.findUnique({ where: { id: webhookId }, select: { id: true, name: true } });
  if (!hook) throw notFound("Webhook");
  const payload: WebhookPayload = {
    event: "test",
    occurredAt: new Date().toISOString(),
    host: null,
    message: `Test event from DAXboard for "${hook.name}", sent by ${actor.label}`,
  };
  const delivery = await getDb().webhookDelivery.create({
    data: { webhookId, event: "test", payload: payload as Prisma.InputJsonValue, nextAttemptAt: new Date() },
    select: { id: true, status: true, createdAt: true },
  });
  await recordAudit(actor, { action: "webhook.test", targetType: "webhook", targetId: webhookId });
  wakeWebhookWorkers();
  return delivery;
}
