import { apiRoute } from "@/lib/api/route";
import { profileOrderSchema } from "@/lib/settings/guest-profiles";
import { reorderGuestProfiles } from "@/lib/settings/save-guest-profile";

// PUT /api/settings/guest-profiles/order — the order in which profiles match host tags (admin, audited)
export const PUT = apiRoute({ role: "admin", body: profileOrderSchema }, async ({ actor, body }) =>
  reorderGuestProfiles(actor, body.ids),
);
