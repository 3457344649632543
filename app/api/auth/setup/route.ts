import { NextResponse, type NextRequest } from "next/server";
import { readJsonBody } from "@/lib/api/read-body";
import { assertJsonFromOurPage, toErrorResponse } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { setSessionCookie } from "@/lib/auth/session-cookie";
import { setUpFirstAdmin } from "@/lib/users/first-admin";
import { setupSchema } from "@/lib/users/user-input";

// POST /api/auth/setup — create the first admin with the console's one-time code; refused once any user exists
export async function POST(req: NextRequest) {
  try {
    assertJsonFromOurPage(req);
    const input = setupSchema.parse(await readJsonBody(req, 16 * 1024));
    const { user, session } = await setUpFirstAdmin({ ...input, role: "admin" }, clientAddress(req));
    const res = NextResponse.json({ user }, { status: 201 });
    setSessionCookie(res, session.token, session.expiresAt);
    return res;
  } catch (err) {
    return toErrorResponse(err, req);
  }
}
