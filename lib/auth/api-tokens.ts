import { AppError } from "../api/errors";
import { getDb } from "../db";
import { randomToken, sha256Hex } from "./password";
import { roleAtLeast, type Actor, type Role } from "./roles";

const TOKEN_PREFIX = "dxb_";

// "metrics": the token reads GET /api/metrics and nothing else (issue 14); null: the token has its full role.
export const TOKEN_SCOPES = ["metrics"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

type TokenActor = Extract<Actor, { kind: "token" }>;

// Creates a token; the clear value is returned once and only its SHA-256 is stored.
export async function createApiToken(input: {
  name: string;
  role: Role;
  scope?: TokenScope | null;
  createdById?: string | null;
  expiresAt?: Date | null;
}) {
  const token = TOKEN_PREFIX + randomToken(30);
  const record = await getDb().apiToken.create({
    data: {
      name: input.name,
      role: input.role,
      scope: input.scope ?? null,
      tokenHash: sha256Hex(token),
      prefix: token.slice(0, 10),
      createdById: input.createdById ?? null,
      expiresAt: input.expiresAt ?? null,
    },
  });
  return { token, record };
}

// The live (not revoked, not expired, issuer still entitled) token a Bearer header names, with its scope.
async function liveToken(header: string | null): Promise<{ actor: TokenActor; scope: string | null } | null> {
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
  const actor: TokenActor = { kind: "token", id: record.id, label: `token:${record.name}`, role: record.role };
  return { actor, scope: record.scope };
}

// The actor of a full API token. A scoped token is refused here, so every route but its own turns it away; an
// unknown scope is refused too, so a scope added later starts out with no access.
export async function actorFromBearer(header: string | null): Promise<Actor | null> {
  const found = await liveToken(header);
  if (found?.scope) {
    throw new AppError(
      "forbidden",
      `This token is scoped to "${found.scope}": it can only read GET /api/metrics.`,
      403,
    );
  }
  return found?.actor ?? null;
}

// The actor of a token that may read the metrics: any full token (every role reads) or a metrics-scoped one.
export async function metricsActorFromBearer(header: string | null): Promise<Actor | null> {
  const found = await liveToken(header);
  if (found && found.scope !== null && found.scope !== "metrics") {
    throw new AppError("forbidden", `This token is scoped to "${found.scope}" and cannot read the metrics.`, 403);
  }
  return found?.actor ?? null;
}
