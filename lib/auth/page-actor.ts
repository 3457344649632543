import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { actorFromSession, SESSION_COOKIE } from "./sessions";
import { roleAtLeast, type Actor, type Role } from "./roles";

// For server components: the logged-in user, or a redirect to /login (or / when the role is too low).
export async function requirePageActor(role: Role = "viewer"): Promise<Actor> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const actor = await actorFromSession(token);
  if (!actor) redirect("/login");
  if (!roleAtLeast(actor.role, role)) redirect("/?forbidden=" + role);
  return actor;
}
