import type { NextRequest, NextResponse } from "next/server";
import { SESSION_COOKIE } from "./sessions";

// httpOnly + SameSite=Lax: scripts cannot read it and other sites cannot send it with their POSTs.
export function setSessionCookie(res: NextResponse, req: NextRequest, token: string, expiresAt: Date): void {
  res.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "lax",
    secure: req.nextUrl.protocol === "https:",
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(res: NextResponse): void {
  res.cookies.set(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 0 });
}
