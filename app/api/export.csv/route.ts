import { apiRoute } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { exportHosts } from "@/lib/export/export-hosts";
import { parseHostFilter } from "@/lib/hosts/list-hosts";

// GET /api/export.csv — the compatibility CSV of the hosts matching the table's filters, streamed; audited
export const GET = apiRoute({ role: "viewer" }, async ({ req, actor }) => {
  const filter = parseHostFilter(req.nextUrl.searchParams);
  await recordAudit(actor, { action: "host.export", detail: { format: "csv", filter } });
  return exportHosts(filter, "csv");
});
