import { getDb } from "../db";
import { AppError } from "../api/errors";
import { verifyPassword } from "../auth/password";
import { createSession } from "../auth/sessions";
import { recordAudit } from "../audit/record-audit";

// A fixed dummy hash keeps the timing of "no such user" close to "wrong password".
const DUMMY = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export async function login(email: string, password: string) {
  const user = await getDb().user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY);
  if (!user || !ok || user.disabled) {
    throw new AppError("invalid_credentials", "Email or password is wrong, or the account is disabled.", 401);
  }
  const session = await createSession(user.id);
  await recordAudit(
    { kind: "user", id: user.id, label: user.email, role: user.role, displayName: user.displayName },
    { action: "user.login", targetType: "user", targetId: user.id },
  );
  return { user: { id: user.id, email: user.email, role: user.role, displayName: user.displayName }, session };
}
