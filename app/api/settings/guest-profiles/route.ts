import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { listGuestProfiles, namedProfileSchema } from "@/lib/settings/guest-profiles";
import { createGuestProfile } from "@/lib/settings/save-guest-profile";

// GET /api/settings/guest-profiles — every guest profile by position (the default last) and the running re-assessment
export const GET = apiRoute({ role: "viewer" }, async () => listGuestProfiles());

// POST /api/settings/guest-profiles — add a named profile for some host tags (admin, audited); re-assesses in the background
export const POST = apiRoute({ role: "admin", body: namedProfileSchema }, async ({ actor, body }) =>
  NextResponse.json(await createGuestProfile(actor, body), { status: 201 }),
);
