import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { sessionTokenFrom } from "@/lib/auth/session-cookie";
import { changeOwnPassword } from "@/lib/users/change-password";
import { changePasswordSchema } from "@/lib/users/user-input";

// POST /api/me/password — change your own password; your other sessions end
export const POST = apiRoute({ role: "viewer", body: changePasswordSchema }, async ({ req, actor, body }) => {
  await changeOwnPassword(actor, body, { sessionToken: sessionTokenFrom(req.cookies), address: clientAddress(req) });
  return new NextResponse(null, { status: 204 });
});
