import { apiRoute } from "@/lib/api/route";
import { guestProfileSchema } from "@/lib/readiness";
import { getGuestProfile, saveGuestProfile } from "@/lib/settings/guest-profile";

// GET /api/settings/guest-profile — the default guest profile (see /api/settings/guest-profiles for all of them)
export const GET = apiRoute({ role: "viewer" }, async () => getGuestProfile());

// PUT /api/settings/guest-profile — save it (admin, audited); its hosts are re-assessed in the background
export const PUT = apiRoute({ role: "admin", body: guestProfileSchema.strict() }, async ({ actor, body }) =>
  saveGuestProfile(actor, body),
);
