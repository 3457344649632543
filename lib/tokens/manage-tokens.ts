import { z } from "zod";
import { getDb } from "../db";
import { AppError, notFound } from "../api/errors";
import { createApiToken, TOKEN_SCOPES } from "../auth/api-tokens";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { roleSchema } from "../users/user-input";

export const createTokenSchema = z
  .object({
    name: z.string().trim().min(1, "name is required").max(100),
    role: roleSchema,
    // "metrics": the token reads GET /api/metrics only (a Prometheus scrape credential), whatever its role.
    scope: z.enum(TOKEN_SCOPES).optional(),
    // Optional: the token stops working this many days after it is issued.
    expiresInDays: z.number().int("whole days only").min(1, "at least 1 day").max(3650, "at most 3650 days").optional(),
  })
  .strict();
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

const tokenSelect = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  scope: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  expiresAt: true,
  createdBy: { select: { email: true } },
} as const;

export async function listTokens() {
  return getDb().apiToken.findMany({ select: tokenSelect, orderBy: { createdAt: "desc" } });
}

// Issues a token; the clear value is in the result once and never stored.
export async function issueToken(actor: Actor, input: CreateTokenInput, now = new Date()) {
  // A token minted by a token would have no user to expire with (a leaked admin token could outlive the admin's
  // access): tokens come from a logged-in admin, whose account they follow, or from the server's CLI.
  if (actor.kind === "token") {
    throw new AppError(
      "forbidden",
      "API tokens cannot issue tokens: log in as an admin, or run `npm run token` on the server.",
      403,
    );
  }
  const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000) : null;
  const { token, record } = await createApiToken({
    name: input.name,
    role: input.role,
    scope: input.scope ?? null,
    expiresAt,
    createdById: actor.kind === "user" ? actor.id : null,
  });
  await recordAudit(actor, {
    action: "token.create",
    targetType: "token",
    targetId: record.id,
    detail: {
      name: input.name,
      role: input.role,
      scope: input.scope ?? null,
      expiresAt: expiresAt?.toISOString() ?? null,
    },
  });
  return {
    token,
    id: record.id,
    name: record.name,
    role: record.role,
    scope: record.scope,
    prefix: record.prefix,
    expiresAt,
  };
}

export async function revokeToken(actor: Actor, id: string) {
  const found = await getDb().apiToken.findUnique({ where: { id }, select: { id: true, name: true } });
  if (!found) throw notFound("Token");
  await getDb().apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  await recordAudit(actor, { action: "token.revoke", targetType: "token", targetId: id, detail: { name: found.name } });
}
