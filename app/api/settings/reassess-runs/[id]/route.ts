import { apiRoute } from "@/lib/api/route";
import { getReassessRun } from "@/lib/scan/reassess-runs";

// GET /api/settings/reassess-runs/:id — a background re-assessment's status and progress
export const GET = apiRoute({ role: "viewer" }, async ({ params }) => getReassessRun(params.id));
