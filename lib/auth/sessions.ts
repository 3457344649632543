import { getDb } from "../db";
import { config } from "../config";
import { randomToken, sha256Hex } from "./password";
import type { Actor } from "./roles";

// A session unused this long ends even before its absolute lifetime (DAXBOARD_SESSION_TTL_HOURS) is up.
export function sessionIdleMinutes(): number {
  const minutes = Number(process.env.DAXBOARD_SESSION_IDLE_MINUTES ?? 60);
  if (!(minutes > 0)) throw new Error("DAXBOARD_SESSION_IDLE_MINUTES must be a positive number of minutes");
  return minutes;
}

// lastSeenAt is written at most once a minute per session, not on every request.
const TOUCH_EVERY_MS = 60_000;

export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date; id: string }> {
  const token = randomToken();
  const id = sha256Hex(token);
  const expiresAt = new Date(Date.now() + config.sessionTtlHours() * 3600_000);
  await getDb().session.create({ data: { id, userId, expiresAt } });
  return { token, expiresAt, id };
}

// Resolves a cookie value to the logged-in user; expired, idle and disabled users' sessions resolve to null.
export async function actorFromSession(token: string | undefined): Promise<Actor | null> {
  if (!token || token.length > 200) return null;
  const db = getDb();
  const session = await db.session.findUnique({ where: { id: sha256Hex(token) }, include: { user: true } });
  if (!session || session.user.disabled) return null;
  const now = Date.now();
  const idleSince = now - session.lastSeenAt.getTime();
  if (session.expiresAt.getTime() <= now || idleSince >= sessionIdleMinutes() * 60_000) {
    await db.session.deleteMany({ where: { id: session.id } });
    return null;
  }
  if (idleSince >= TOUCH_EVERY_MS) {
    await db.session.updateMany({ where: { id: session.id }, data: { lastSeenAt: new Date(now) } });
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

// Ends every session of a user except the one given (the one changing the password keeps working).
export async function deleteOtherSessions(userId: string, keepToken: string | undefined): Promise<number> {
  const keep = keepToken ? sha256Hex(keepToken) : undefined;
  const { count } = await getDb().session.deleteMany({ where: { userId, ...(keep ? { id: { not: keep } } : {}) } });
  return count;
}
