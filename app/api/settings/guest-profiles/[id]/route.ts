import { apiRoute } from "@/lib/api/route";
import { namedProfileSchema } from "@/lib/settings/guest-profiles";
import { deleteGuestProfile, updateGuestProfile } from "@/lib/settings/save-guest-profile";

// PUT /api/settings/guest-profiles/:id — save a profile (admin, audited); its hosts are re-assessed in the background
export const PUT = apiRoute({ role: "admin", body: namedProfileSchema }, async ({ actor, body, params }) =>
  updateGuestProfile(actor, params.id, body),
);

// DELETE /api/settings/guest-profiles/:id — remove a named profile (the default stays: 409)
export const DELETE = apiRoute({ role: "admin" }, async ({ actor, params }) => deleteGuestProfile(actor, params.id));
