import { NextResponse, type NextRequest } from "next/server";
import { readJsonBody } from "@/lib/api/read-body";
import { toErrorResponse } from "@/lib/api/route";
import { setSessionCookie } from "@/lib/auth/session-cookie";
import { login } from "@/lib/users/login";
import { loginSchema } from "@/lib/users/user-input";

// POST /api/auth/login — password login; sets the session cookie
export async function POST(req: NextRequest) {
  try {
    const input = loginSchema.parse(await readJsonBody(req, 16 * 1024));
    const { user, session } = await login(input.email, input.password);
    const res = NextResponse.json({ user });
    setSessionCookie(res, req, session.token, session.expiresAt);
    return res;
  } catch (err) {
    return toErrorResponse(err, req);
  }
}
