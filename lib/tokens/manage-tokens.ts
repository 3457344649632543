import { getDb } from "../db";
import { notFound } from "../api/errors";
import { createApiToken } from "../auth/api-tokens";
import type { Actor, Role } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";

const tokenSelect = { id: true, name: true, prefix: true, role: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export async function listTokens() {
  return getDb().apiToken.findMany({ select: tokenSelect, orderBy: { createdAt: "desc" } });
}

// Issues a token; the clear value is in the result once and never stored.
export async function issueToken(actor: Actor, input: { name: string; role: Role }) {
  const { token, record } = await createApiToken({ ...input, createdById: actor.kind === "user" ? actor.id : null });
  await recordAudit(actor, { action: "token.create", targetType: "token", targetId: record.id, detail: { name: input.name, role: input.role } });
  return { token, id: record.id, name: record.name, role: record.role, prefix: record.prefix };
}

export async function revokeToken(actor: Actor, id: string) {
  const found = await getDb().apiToken.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!found) throw notFound("Token");
  await getDb().apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  await recordAudit(actor, { action: "token.revoke", targetType: "token", targetId: id, detail: { name: found.name } });
}
