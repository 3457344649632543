import { apiRoute } from "@/lib/api/route";
import { listAudit, parseListAuditQuery } from "@/lib/audit/list-audit";

// GET /api/audit — the audit log, newest first, filtered (actor, action, host, from, to) and keyset-paged (cursor, limit)
export const GET = apiRoute({ role: "admin" }, async ({ req }) =>
  listAudit(parseListAuditQuery(req.nextUrl.searchParams)),
);
