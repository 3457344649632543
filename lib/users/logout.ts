import { actorFromSession, deleteSession } from "../auth/sessions";
import { recordAudit } from "../audit/record-audit";

// Ends the session behind a cookie and records who logged out (a stale cookie ends nothing and records nothing).
export async function logout(token: string | undefined): Promise<void> {
  const actor = await actorFromSession(token);
  await deleteSession(token);
  if (actor) await recordAudit(actor, { action: "user.logout", targetType: "user", targetId: actor.id });
}
