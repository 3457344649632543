import { apiRoute } from "@/lib/api/route";
import { recordAudit } from "@/lib/audit/record-audit";
import { exportHosts } from "@/lib/export/export-hosts";
import { parseHostFilter } from "@/lib/hosts/list-hosts";

// GET /api/export.json — the same export as JSON ({exportedAt, hosts: [...]}), streamed; audited
export const GET = apiRoute({ role: "viewer" }, async ({ req, actor }) => {
  const filter = parseHostFilter(req.nextUrl.searchParams);
  await recordAudit(actor, { action: "host.export", detail: { format: "json", filter } });
  return exportHosts(filter, "json");
});
