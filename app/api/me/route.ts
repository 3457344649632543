import { apiRoute } from "@/lib/api/route";

// GET /api/me — who is calling, and with which role
export const GET = apiRoute({ role: "viewer" }, async ({ actor }) => ({
  actor: { kind: actor.kind, label: actor.label, role: actor.role },
}));
