import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "./lib/config";
import { createNonce, securityHeaders } from "./lib/http/security-headers";

const PUBLIC_PAGES = ["/login", "/setup"];
// The session cookie's names: `__Host-` prefixed when DAXBOARD_PUBLIC_URL is https (sessionCookieName() in
// lib/auth/session-cookie.ts, which imports the database client through sessions.ts, so not imported here).
// Either passes this cheap gate; the (app) layout reads only the name in force and checks it in the database.
const SESSION_COOKIES = ["daxboard_session", "__Host-daxboard_session"];

// The app's icons and web manifest (public/, app/manifest.ts): browsers fetch the manifest without cookies, and the
// login page shows the icons, so they pass without a session.
const PUBLIC_FILES = ["/icon.svg", "/apple-touch-icon.png", "/icon-192.png", "/icon-512.png", "/manifest.webmanifest"];

// Responses that are not pages: route handlers, the probe script and the public files. They get every header but
// the CSP, and no login gate (lib/api/route.ts authenticates the route handlers).
const isPage = (pathname: string) =>
  !(pathname === "/api" || pathname.startsWith("/api/") || pathname === "/probe.sh" || PUBLIC_FILES.includes(pathname));

// Runs in front of every response but the build's static files. Pages get a Content-Security-Policy with a fresh
// nonce, also handed to rendering (Next.js reads it from the request's CSP header and stamps its own scripts; the
// root layout reads x-nonce). Pages without a session cookie go to the login page; the (app) layout then verifies
// the session against the database.
export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  const https = appConfig.publicUrl()?.protocol === "https:";
  if (!isPage(pathname)) return withHeaders(NextResponse.next(), securityHeaders({ https }));

  const nonce = createNonce();
  const headers = securityHeaders({ https, nonce, dev: process.env.NODE_ENV === "development" });
  if (!PUBLIC_PAGES.includes(pathname) && !SESSION_COOKIES.some((name) => req.cookies.has(name))) {
    const url = req.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + req.nextUrl.search)}`;
    return withHeaders(NextResponse.redirect(url), headers);
  }
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

function withHeaders(res: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [name, value] of Object.entries(headers)) res.headers.set(name, value);
  return res;
}

export const config = {
  matcher: ["/((?!_next/|favicon.ico).*)"],
};
