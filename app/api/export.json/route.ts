import { apiRoute } from "@/lib/api/route";
import { exportHosts } from "@/lib/export/export-hosts";
import { parseHostFilter } from "@/lib/hosts/list-hosts";

// GET /api/export.json — the same export as JSON ({exportedAt, hosts: [...]}), streamed
export const GET = apiRoute({ role: "viewer" }, async ({ req }) => exportHosts(parseHostFilter(req.nextUrl.searchParams), "json"));
