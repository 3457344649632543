import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { registerHostSchema } from "@/lib/hosts/host-input";
import { registerHost } from "@/lib/hosts/register-host";
import { listHosts, listHostsQuery } from "@/lib/hosts/list-hosts";

// GET /api/hosts — one page of hosts, filtered by tag/text/verdict and sorted
export const GET = apiRoute({ role: "viewer" }, async ({ req }) =>
  listHosts(listHostsQuery.parse(Object.fromEntries(req.nextUrl.searchParams))),
);

// POST /api/hosts — register a host (secrets are sealed and never returned)
export const POST = apiRoute({ role: "operator", body: registerHostSchema }, async ({ actor, body }) =>
  NextResponse.json({ host: await registerHost(actor, body) }, { status: 201 }),
);
