import { NextResponse, type NextRequest } from "next/server";
import { assertSameOrigin, toErrorResponse } from "@/lib/api/route";
import { clearSessionCookie, sessionTokenFrom } from "@/lib/auth/session-cookie";
import { logout } from "@/lib/users/logout";

// POST /api/auth/logout — end this session (from our own origin)
export async function POST(req: NextRequest) {
  try {
    assertSameOrigin(req);
    await logout(sessionTokenFrom(req.cookies));
    const res = NextResponse.json({ ok: true });
    clearSessionCookie(res);
    return res;
  } catch (err) {
    return toErrorResponse(err, req);
  }
}
