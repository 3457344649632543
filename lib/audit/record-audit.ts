import type { Prisma } from "../generated/prisma/client";
import { getDb } from "../db";
import type { Actor } from "../auth/roles";

type AuditClient = Pick<Prisma.TransactionClient, "auditEvent">;

export type AuditInput = {
  action: string;
  hostId?: string | null;
  hostName?: string | null;
  targetType?: string;
  targetId?: string | null;
  detail?: Prisma.InputJsonValue;
};

// Every mutation records who did what to which host; pass the transaction client to make it atomic.
export async function recordAudit(actor: Actor, input: AuditInput, client: AuditClient = getDb()) {
  await client.auditEvent.create({
    data: {
      actorType: actor.kind,
      actorId: actor.id,
      actorLabel: actor.label,
      action: input.action,
      hostId: input.hostId ?? null,
      hostName: input.hostName ?? null,
      targetType: input.targetType ?? null,
      targetId: input.targetId ?? null,
      detail: input.detail,
    },
  });
}
