import { NextResponse, type NextRequest } from "next/server";

const PUBLIC_PAGES = ["/login", "/setup"];

// A cheap gate in front of pages: no session cookie → the login page. The (app) layout then verifies the
// session against the database; API routes authenticate in lib/api/route.ts.
export function proxy(req: NextRequest) {
  const { pathname } = req.nextUrl;
  if (PUBLIC_PAGES.includes(pathname) || req.cookies.has("daxboard_session")) return NextResponse.next();
  const url = req.nextUrl.clone();
  url.pathname = "/login";
  url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + req.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!api/|_next/|favicon.ico|probe.sh).*)"],
};
