import { apiRoute } from "@/lib/api/route";
import { guestProfileSchema } from "@/lib/readiness";
import { getGuestProfile, saveGuestProfile } from "@/lib/settings/guest-profile";

// GET /api/settings/guest-profile — the guest the fleet is assessed for
export const GET = apiRoute({ role: "viewer" }, async () => getGuestProfile());

// PUT /api/settings/guest-profile — save it (admin, audited) and re-assess every host from stored facts
export const PUT = apiRoute({ role: "admin", body: guestProfileSchema.strict() }, async ({ actor, body }) =>
  saveGuestProfile(actor, body),
);
