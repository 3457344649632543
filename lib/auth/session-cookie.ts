import type { NextResponse } from "next/server";
import { config } from "../config";

// Imports nothing that reaches the database, so proxy.ts can use it.
export const SESSION_COOKIE = "daxboard_session";

const secure = () => config.publicUrl()?.protocol === "https:";

// Under an https DAXBOARD_PUBLIC_URL the cookie is Secure and named __Host-…: browsers then accept it only with
// Secure, Path=/ and no Domain, so neither a sibling subdomain nor a plain-http page can plant or shadow it.
// proxy.ts gates pages on this name too.
export function sessionCookieName(): string {
  return secure() ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

// httpOnly + SameSite=Lax: scripts cannot read it and other sites cannot send it with their POSTs.
export function setSessionCookie(res: NextResponse, token: string, expiresAt: Date): void {
  res.cookies.set(sessionCookieName(), token, {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(res: NextResponse): void {
  res.cookies.set(sessionCookieName(), "", { httpOnly: true, sameSite: "lax", secure: secure(), path: "/", maxAge: 0 });
}

// The session token a request carries, under the cookie name in force.
export function sessionTokenFrom(cookies: { get(name: string): { value: string } | undefined }): string | undefined {
  return cookies.get(sessionCookieName())?.value;
}
