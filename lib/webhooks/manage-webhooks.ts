import "server-only";
import { getDb } from "../db";
import { notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import type { CreateWebhookInput, UpdateWebhookInput } from "./webhook-input";
import { sealWebhookSecret } from "./webhook-secret";

// Never the sealed secret: only whether there is one.
const webhookSelect = {
  id: true,
  name: true,
  url: true,
  format: true,
  events: true,
  failureThreshold: true,
  enabled: true,
  disabledReason: true,
  createdAt: true,
  createdBy: true,
  updatedAt: true,
  secretCiphertext: true,
} as const;

type Row = { secretCiphertext: Uint8Array | null } & Record<string, unknown>;

const toDto = ({ secretCiphertext, ...rest }: Row) => ({ ...rest, hasSecret: secretCiphertext !== null });

const noSecret = { secretCiphertext: null, secretIv: null, secretAuthTag: null };

const secretColumns = (secret: string | undefined) =>
  secret === undefined ? {} : secret === "" ? noSecret : sealWebhookSecret(secret);

// What the audit log keeps: the settings, never the secret.
const auditDetail = (input: CreateWebhookInput | UpdateWebhookInput) => {
  const { secret, ...rest } = input;
  return { ...rest, ...(secret === undefined ? {} : { secret: secret === "" ? "cleared" : "set" }) };
};

export async function listWebhooks() {
  const rows = await getDb().webhook.findMany({ select: webhookSelect, orderBy: { createdAt: "asc" } });
  return rows.map(toDto);
}

export async function createWebhook(actor: Actor, input: CreateWebhookInput) {
  const { secret, ...rest } = input;
  const row = await getDb().webhook.create({
    data: { ...rest, ...secretColumns(secret), createdBy: actor.label },
    select: webhookSelect,
  });
  await recordAudit(actor, {
    action: "webhook.create",
    targetType: "webhook",
    targetId: row.id,
    detail: auditDetail(input),
  });
  return toDto(row);
}

export async function updateWebhook(actor: Actor, id: string, input: UpdateWebhookInput) {
  const found = await getDb().webhook.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw notFound("Webhook");
  const { secret, ...rest } = input;
  // Re-enabling an endpoint that answered 410 clears why it was turned off.
  const reenable = input.enabled === true ? { disabledReason: null } : {};
  const row = await getDb().webhook.update({
    where: { id },
    data: { ...rest, ...reenable, ...secretColumns(secret) },
    select: webhookSelect,
  });
  await recordAudit(actor, {
    action: "webhook.update",
    targetType: "webhook",
    targetId: id,
    detail: auditDetail(input),
  });
  return toDto(row);
}

export async function deleteWebhook(actor: Actor, id: string) {
  const found = await getDb().webhook.findUnique({ where: { id }, select: { id: true, name: true, url: true } });
  if (!found) throw notFound("Webhook");
  await getDb().webhook.delete({ where: { id } });
  await recordAudit(actor, {
    action: "webhook.delete",
    targetType: "webhook",
    targetId: id,
    detail: { name: found.name, url: found.url },
  });
}
