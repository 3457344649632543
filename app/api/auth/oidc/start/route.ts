import { NextResponse, type NextRequest } from "next/server";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { log } from "@/lib/log";
import { beginFlow } from "@/lib/oidc/client";
import { appOrigin, redirectUri } from "@/lib/oidc/app-origin";
import { setFlowCookie } from "@/lib/oidc/flow-cookie";
import { oidcSettings } from "@/lib/oidc/settings";

export const dynamic = "force-dynamic";

// GET /api/auth/oidc/start?next=/path — sends the browser to the identity provider with a fresh PKCE verifier,
// state and nonce, kept for the callback in a sealed, short-lived, httpOnly cookie.
export async function GET(req: NextRequest) {
  const origin = appOrigin(req);
  const settings = oidcSettings();
  if (!settings) return NextResponse.redirect(new URL("/login?sso_error=off", origin), 303);
  try {
    const next = safeNextPath(req.nextUrl.searchParams.get("next"));
    const { url, flow } = await beginFlow(settings, redirectUri(req), next);
    const res = NextResponse.redirect(url, 303);
    setFlowCookie(res, flow);
    return res;
  } catch (err) {
    log.warn({ err, issuer: settings.issuer.href }, "single sign-on could not start: identity provider unreachable");
    return NextResponse.redirect(new URL("/login?sso_error=unavailable", origin), 303);
  }
}
