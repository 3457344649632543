import { getDb } from "../db";
import { AppError } from "../api/errors";
import { hashPassword, verifyPassword } from "../auth/password";
import { beginAttempt } from "../auth/login-throttle";
import { deleteOtherSessions } from "../auth/sessions";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";

// A user changes their own password: the current one is required (and guesses at it are throttled like logins,
// so a borrowed session cannot brute-force it), and every other session of theirs ends.
export async function changeOwnPassword(
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  context: { sessionToken: string | undefined; address: string | null },
) {
  if (actor.kind !== "user") {
    throw new AppError("forbidden", "Only a logged-in user can change their password; API tokens cannot.", 403);
  }
  const user = await getDb().user.findUniqueOrThrow({ where: { id: actor.id }, omit: { passwordHash: false } });
  const { passwordHash: currentHash } = user;
  if (currentHash === null)
    throw new AppError(
      "no_password",
      "This account signs in through single sign-on and has no DAXboard password.",
      409,
    );
  const attempt = await beginAttempt([
    { scope: "account", id: user.email },
    ...(context.address ? [{ scope: "address" as const, id: context.address }] : []),
  ]);
  let ok: boolean;
  try {
    ok = await verifyPassword(input.currentPassword, currentHash);
  } catch (err) {
    await attempt.cancel();
    throw err;
  }
  if (!ok) {
    await attempt.failed();
    await recordAudit(actor, {
      action: "user.password-change-failed",
      targetType: "user",
      targetId: user.id,
      detail: { address: context.address },
    });
    throw new AppError("invalid_input", "The current password is wrong.", 422, "currentPassword");
  }
  await attempt.succeeded();
  const passwordHash = await hashPassword(input.newPassword);
  await getDb().user.update({ where: { id: user.id }, data: { passwordHash } });
  const endedSessions = await deleteOtherSessions(user.id, context.sessionToken);
  await recordAudit(actor, {
    action: "user.password-change",
    targetType: "user",
    targetId: user.id,
    detail: { endedSessions, address: context.address },
  });
}
