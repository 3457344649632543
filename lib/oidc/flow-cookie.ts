import type { NextRequest, NextResponse } from "next/server";
import { config } from "../config";
import { open, seal } from "../crypto/secret-box";
import { secretKey } from "../crypto/secret-key";

// What the start of a sign-in hands to its callback: the PKCE verifier, state, nonce and where to go afterwards.
export type OidcFlow = { state: string; nonce: string; verifier: string; next: string };

const FLOW_COOKIE = "daxboard_oidc_flow";
const COOKIE_PATH = "/api/auth/oidc";
const AAD = "daxboard-oidc-flow-v1";
// Long enough to type a password and answer a second factor at the IdP; short enough that a stale flow dies.
export const FLOW_TTL_SECONDS = 600;

const secure = () => config.publicUrl()?.protocol === "https:";
// __Secure- (not __Host-, which needs Path=/): under https browsers refuse it from plain-http pages.
const cookieName = () => (secure() ? `__Secure-${FLOW_COOKIE}` : FLOW_COOKIE);

// Sealed with the app's secret key (AES-256-GCM): a cookie planted by anyone else does not open, so nobody can
// bind a browser to a flow of their own (login CSRF). httpOnly; SameSite=Lax still sends it on the IdP's
// top-level redirect back to the callback.
export function setFlowCookie(res: NextResponse, flow: OidcFlow): void {
  const sealed = seal(JSON.stringify({ ...flow, exp: Date.now() + FLOW_TTL_SECONDS * 1000 }), secretKey(), AAD);
  const value = Buffer.concat([sealed.iv, sealed.authTag, sealed.ciphertext]).toString("base64url");
  res.cookies.set(cookieName(), value, {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: COOKIE_PATH,
    maxAge: FLOW_TTL_SECONDS,
  });
}

export function clearFlowCookie(res: NextResponse): void {
  res.cookies.set(cookieName(), "", {
    httpOnly: true,
    sameSite: "lax",
    secure: secure(),
    path: COOKIE_PATH,
    maxAge: 0,
  });
}

// The flow this browser started, or null when the cookie is missing, forged, damaged or expired.
export function readFlowCookie(req: NextRequest): OidcFlow | null {
  const value = req.cookies.get(cookieName())?.value;
  if (!value || value.length > 4096) return null;
  const raw = Buffer.from(value, "base64url");
  if (raw.length < 29) return null;
  let parsed: OidcFlow & { exp: number };
  try {
    const text = open(
      { iv: raw.subarray(0, 12), authTag: raw.subarray(12, 28), ciphertext: raw.subarray(28) },
      secretKey(),
      AAD,
    );
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!(parsed.exp > Date.now())) return null;
  return { state: parsed.state, nonce: parsed.nonce, verifier: parsed.verifier, next: parsed.next };
}
