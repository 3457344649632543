import { apiRoute } from "@/lib/api/route";
import { getScan } from "@/lib/scan/list-scans";

// GET /api/scans/:id — one scan with its facts, assessment and raw output
export const GET = apiRoute({ role: "viewer" }, async ({ params }) => ({ scan: await getScan(params.id) }));
