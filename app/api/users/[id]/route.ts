import { apiRoute } from "@/lib/api/route";
import { updateUser } from "@/lib/users/manage-users";
import { updateUserSchema } from "@/lib/users/user-input";

// PATCH /api/users/:id — change a user's role, disable them or reset their password (admin)
export const PATCH = apiRoute({ role: "admin", body: updateUserSchema }, async ({ actor, params, body }) => ({
  user: await updateUser(actor, params.id, body),
}));
