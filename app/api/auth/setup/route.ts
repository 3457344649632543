import { NextResponse, type NextRequest } from "next/server";
import { readJsonBody } from "@/lib/api/read-body";
import { toErrorResponse } from "@/lib/api/route";
import { setSessionCookie } from "@/lib/auth/session-cookie";
import { createFirstAdmin } from "@/lib/users/first-admin";
import { login } from "@/lib/users/login";
import { createUserSchema } from "@/lib/users/user-input";

// POST /api/auth/setup — create the first admin; refused once any user exists
export async function POST(req: NextRequest) {
  try {
    const input = createUserSchema.omit({ role: true }).parse(await readJsonBody(req, 16 * 1024));
    await createFirstAdmin({ ...input, role: "admin" });
    const { user, session } = await login(input.email, input.password);
    const res = NextResponse.json({ user }, { status: 201 });
    setSessionCookie(res, req, session.token, session.expiresAt);
    return res;
  } catch (err) {
    return toErrorResponse(err, req);
  }
}
