import { NextResponse, type NextRequest } from "next/server";
import { readJsonBody } from "@/lib/api/read-body";
import { assertJsonFromOurPage, toErrorResponse } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { setSessionCookie } from "@/lib/auth/session-cookie";
import { login } from "@/lib/users/login";
import { loginSchema } from "@/lib/users/user-input";

// POST /api/auth/login — password login (JSON from our own origin, throttled); sets the session cookie
export async function POST(req: NextRequest) {
  try {
    assertJsonFromOurPage(req);
    const input = loginSchema.parse(await readJsonBody(req, 16 * 1024));
    const { user, session } = await login(input.email, input.password, { address: clientAddress(req) });
    const res = NextResponse.json({ user });
    setSessionCookie(res, session.token, session.expiresAt);
    return res;
  } catch (err) {
    return toErrorResponse(err, req);
  }
}
