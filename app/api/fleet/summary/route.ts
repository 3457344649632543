import { apiRoute } from "@/lib/api/route";
import { fleetSummary } from "@/lib/fleet/fleet-summary";
import { parseHostFilter } from "@/lib/hosts/list-hosts";

// GET /api/fleet/summary — verdict tiles and chart counts for the hosts matching the table's filters
export const GET = apiRoute({ role: "viewer" }, async ({ req }) =>
  fleetSummary(parseHostFilter(req.nextUrl.searchParams)),
);
