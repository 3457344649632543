import { getDb } from "../db";
import { config } from "../config";
import { randomToken, sha256Hex } from "./password";
import type { Actor } from "./roles";

export const SESSION_COOKIE = "daxboard_session";

export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + config.sessionTtlHours() * 3600_000);
  await getDb().session.create({ data: { id: sha256Hex(token), userId, expiresAt } });
  return { token, expiresAt };
}

// Resolves a cookie value to the logged-in user; expired sessions and disabled users resolve to null.
export async function actorFromSession(token: string | undefined): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const session = await getDb().session.findUnique({ where: { id: sha256Hex(token) }, include: { user: true } });
  if (!session || session.user.disabled) return null;
  if (session.expiresAt.getTime() <= Date.now()) {
    await getDb().session.delete({ where: { id: session.id } }).catch(() => undefined);
    return null;
  }
  return {
    kind: "user",
    id: session.user.id,
    label: session.user.email,
    role: session.user.role,
    displayName: session.user.displayName,
  };
}

export async function deleteSession(token: string | undefined): Promise<void> {
  if (!token) return;
  await getDb().session.deleteMany({ where: { id: sha256Hex(token) } });
}
