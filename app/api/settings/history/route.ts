import { apiRoute } from "@/lib/api/route";
import { getHistoryOverview } from "@/lib/history/history-stats";

// GET /api/settings/history — the retention policy, the database's size and the scan history it holds, and the
// last prune (admin). The policy itself is changed through PUT /api/settings.
export const GET = apiRoute({ role: "admin" }, async () => getHistoryOverview());
