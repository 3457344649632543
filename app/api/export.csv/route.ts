import { apiRoute } from "@/lib/api/route";
import { exportHosts } from "@/lib/export/export-hosts";
import { parseHostFilter } from "@/lib/hosts/list-hosts";

// GET /api/export.csv — the compatibility CSV of the hosts matching the table's filters, streamed
export const GET = apiRoute({ role: "viewer" }, async ({ req }) => exportHosts(parseHostFilter(req.nextUrl.searchParams), "csv"));
