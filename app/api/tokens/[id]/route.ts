import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { revokeToken } from "@/lib/tokens/manage-tokens";

// DELETE /api/tokens/:id — revoke a token (admin)
export const DELETE = apiRoute({ role: "admin" }, async ({ actor, params }) => {
  await revokeToken(actor, params.id);
  return new NextResponse(null, { status: 204 });
});
