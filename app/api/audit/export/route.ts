import { apiRoute } from "@/lib/api/route";
import { exportAudit, parseAuditExport } from "@/lib/audit/export-audit";

// GET /api/audit/export?format=csv|json — the filtered audit log as a streamed attachment (the export is audited)
export const GET = apiRoute({ role: "admin" }, async ({ actor, req }) => {
  const { filter, format } = parseAuditExport(req.nextUrl.searchParams);
  return exportAudit(actor, filter, format);
});
