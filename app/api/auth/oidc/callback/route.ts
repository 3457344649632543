import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/api/errors";
import { clientAddress } from "@/lib/auth/client-address";
import { setSessionCookie } from "@/lib/auth/session-cookie";
import { log } from "@/lib/log";
import { finishFlow } from "@/lib/oidc/client";
import { appOrigin, redirectUri } from "@/lib/oidc/app-origin";
import { clearFlowCookie, readFlowCookie } from "@/lib/oidc/flow-cookie";
import { oidcSettings } from "@/lib/oidc/settings";
import type { SsoErrorCode } from "@/lib/oidc/sso-errors";
import { ssoLogin } from "@/lib/users/sso-login";

export const dynamic = "force-dynamic";

// Every refusal lands on the login page with a code it turns into a sentence; the flow cookie is spent either way.
function refused(req: NextRequest, code: SsoErrorCode): NextResponse {
  const res = NextResponse.redirect(new URL(`/login?sso_error=${code}`, appOrigin(req)), 303);
  clearFlowCookie(res);
  return res;
}

// GET /api/auth/oidc/callback — the IdP's answer: the state must be the one this browser's flow cookie holds, then
// openid-client trades the code with the PKCE verifier and checks the ID token (signature, issuer, audience, nonce).
export async function GET(req: NextRequest) {
  const settings = oidcSettings();
  if (!settings) return refused(req, "off");
  const flow = readFlowCookie(req);
  if (!flow) return refused(req, "expired");
  const params = req.nextUrl.searchParams;
  if (params.get("state") !== flow.state) {
    log.warn({ address: clientAddress(req) }, "single sign-on answer refused: state does not match this browser's");
    return refused(req, "state");
  }
  if (params.has("error")) {
    log.info({ error: params.get("error")?.slice(0, 100) }, "the identity provider did not sign the user in");
    return refused(req, "idp_error");
  }
  // The URL the IdP redirected to, whatever host the request reached this process under behind a proxy.
  const callbackUrl = new URL(redirectUri(req));
  callbackUrl.search = req.nextUrl.search;
  let identity;
  try {
    identity = await finishFlow(settings, callbackUrl, flow);
  } catch (err) {
    log.warn({ err }, "single sign-on answer refused: the code exchange or the ID token check failed");
    return refused(req, "failed");
  }
  try {
    const { session } = await ssoLogin(settings, identity, { address: clientAddress(req) });
    const res = NextResponse.redirect(new URL(flow.next, appOrigin(req)), 303);
    clearFlowCookie(res);
    setSessionCookie(res, session.token, session.expiresAt);
    return res;
  } catch (err) {
    if (!(err instanceof AppError) || !err.code.startsWith("sso_")) throw err;
    log.info({ code: err.code, message: err.message }, "single sign-on refused");
    return refused(req, err.code.slice("sso_".length) as SsoErrorCode);
  }
}
