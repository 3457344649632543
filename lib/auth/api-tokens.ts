import { getDb } from "../db";
import { randomToken, sha256Hex } from "./password";
import { roleAtLeast, type Actor, type Role } from "./roles";

const TOKEN_PREFIX = "dxb_";

// Creates a token; the clear value is returned once and only its SHA-256 is stored.
export async function createApiToken(input: {
  name: string;
  role: Role;
  createdById?: string | null;
  expiresAt?: Date | null;
}) {
  const token = TOKEN_PREFIX + randomToken(30);
  const record = await getDb().apiToken.create({
    data: {
      name: input.name,
      role: input.role,
      tokenHash: sha256Hex(token),
      prefix: token.slice(0, 10),
      createdById: input.createdById ?? null,
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { token, record };
}

export async function actorFromBearer(header: string | null): Promise<Actor | null> {
  const match = header?.match(/^Bearer\s+(\S{10,200})$/i);
  if (!match) return null;
  const db = getDb();
  const record = await db.apiToken.findUnique({
    where: { tokenHash: sha256Hex(match[1]) },
    include: { createdBy: { select: { disabled: true, role: true } } },
  });
  if (!record || record.revokedAt) return null;
  if (record.expiresAt && record.expiresAt.getTime() <= Date.now()) return null;
  // A token speaks for the admin who issued it: it stops when they are disabled or no longer hold its role.
  // Tokens from `npm run token` have no creator and answer to whoever runs the server.
  const issuer = record.createdBy;
  if (record.createdById && (!issuer || issuer.disabled || !roleAtLeast(issuer.role, record.role))) return null;
  // Throttle last-used writes to one a minute per token: automation may call many times a second.
  if (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.updateMany({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
  }
  return { kind: "token", id: record.id, label: `token:${record.name}`, role: record.role };
}
