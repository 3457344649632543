import { getDb } from "../db";
import { AppError } from "../api/errors";
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from "../auth/password";
import { beginAttempt, type Block } from "../auth/login-throttle";
import { createSession } from "../auth/sessions";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { config } from "../config";
import { log } from "../log";

export type LoginContext = { address: string | null };

// Who a failed or throttled attempt is recorded as: nobody has proven who they are.
export const anonymousActor: Actor = { kind: "system", id: null, label: "anonymous", role: "viewer" };

const invalid = () =>
  new AppError("invalid_credentials", "Email or password is wrong, or the account is disabled.", 401);

// DAXBOARD_LOCAL_LOGIN=off: every account signs in through the identity provider; no password is even checked.
export const localLoginOff = () =>
  new AppError(
    "local_login_off",
    "Password sign-in is turned off on this DAXboard (DAXBOARD_LOCAL_LOGIN=off); sign in with single sign-on.",
    403,
  );

async function auditBlocks(blocks: Block[], email: string, address: string | null) {
  // One event when a block starts, not one per refused attempt: an attacker cannot flood the audit log.
  for (const block of blocks) {
    await recordAudit(anonymousActor, {
      action: "user.login-throttled",
      targetType: block.scope === "account" ? "user" : undefined,
      detail: { scope: block.scope, email, address, blockedSeconds: block.seconds },
    });
  }
}

// Checks a password under the account's and the address's failure limits; every outcome is audited, never the
// password. A right password is refused too while a limit is exhausted.
export async function login(email: string, password: string, context: LoginContext) {
  const { address } = context;
  if (!config.localLogin()) throw localLoginOff();
  const attempt = await beginAttempt([
    { scope: "account", id: email },
    ...(address ? [{ scope: "address" as const, id: address }] : []),
  ]);
  let user;
  let ok = false;
  try {
    user = await getDb().user.findUnique({ where: { email }, omit: { passwordHash: false } });
    // Unknown and disabled accounts cost one hash too, so timing does not tell them apart.
    ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  } catch (err) {
    await attempt.cancel();
    throw err;
  }
  if (!user || !ok || user.disabled) {
    const blocks = await attempt.failed();
    const reason = !user ? "unknown-user" : !ok ? "wrong-password" : "disabled";
    await recordAudit(anonymousActor, {
      action: "user.login-failed",
      targetType: user ? "user" : undefined,
      targetId: user?.id ?? null,
      detail: { email, address, reason },
    });
    await auditBlocks(blocks, email, address);
    throw invalid();
  }
  await attempt.succeeded();
  if (user.passwordHash && needsRehash(user.passwordHash)) await upgradeHash(user.id, user.passwordHash, password);
  const session = await createSession(user.id);
  const actor: Actor = { kind: "user", id: user.id, label: user.email, role: user.role, displayName: user.displayName };
  await recordAudit(actor, { action: "user.login", targetType: "user", targetId: user.id, detail: { address } });
  return { user: { id: user.id, email: user.email, role: user.role, displayName: user.displayName }, session };
}

// A hash with older parameters is replaced by a current one while the password is at hand; only if it is still the
// same hash, so a password changed meanwhile is not overwritten. A busy server just tries again next login.
async function upgradeHash(userId: string, oldHash: string, password: string) {
  try {
    const passwordHash = await hashPassword(password);
    await getDb().user.updateMany({ where: { id: userId, passwordHash: oldHash }, data: { passwordHash } });
  } catch (err) {
    log.warn({ err, userId }, "could not upgrade a password hash; it will be tried again at the next login");
  }
}
