import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { actorFromSession } from "./sessions";
import { sessionTokenFrom } from "./session-cookie";
import { roleAtLeast, type Actor, type Role } from "./roles";

// For server components: the logged-in user, or a redirect to /login (or / when the role is too low).
export async function requirePageActor(role: Role = "viewer"): Promise<Actor> {
  const actor = await actorFromSession(sessionTokenFrom(await cookies()));
  if (!actor) redirect("/login");
  if (!roleAtLeast(actor.role, role)) redirect("/?forbidden=" + role);
  return actor;
}
