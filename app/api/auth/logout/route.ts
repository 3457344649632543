import { NextResponse, type NextRequest } from "next/server";
import { deleteSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { clearSessionCookie } from "@/lib/auth/session-cookie";

// POST /api/auth/logout — end this session
export async function POST(req: NextRequest) {
  await deleteSession(req.cookies.get(SESSION_COOKIE)?.value);
  const res = NextResponse.json({ ok: true });
  clearSessionCookie(res);
  return res;
}
