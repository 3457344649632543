import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { updateHostSchema } from "@/lib/hosts/host-input";
import { getHost } from "@/lib/hosts/get-host";
import { updateHost } from "@/lib/hosts/update-host";
import { deleteHost } from "@/lib/hosts/delete-host";

// GET /api/hosts/:id — one host as stored
export const GET = apiRoute({ role: "viewer" }, async ({ params }) => ({ host: await getHost(params.id) }));

// PATCH /api/hosts/:id — edit a host
export const PATCH = apiRoute({ role: "operator", body: updateHostSchema }, async ({ actor, params, body }) => ({
  host: await updateHost(actor, params.id, body),
}));

// DELETE /api/hosts/:id — delete a host; its audit events are kept
export const DELETE = apiRoute({ role: "operator" }, async ({ actor, params }) => {
  await deleteHost(actor, params.id);
  return new NextResponse(null, { status: 204 });
});
