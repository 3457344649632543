import type { NextRequest } from "next/server";
import { config } from "../config";

export const CALLBACK_PATH = "/api/auth/oidc/callback";

// Where users reach DAXboard: DAXBOARD_PUBLIC_URL's origin, else the Host the request was sent to (the same rule as
// the same-origin check in lib/api/route.ts; forwarded host headers are never read).
export function appOrigin(req: NextRequest): string {
  const publicUrl = config.publicUrl();
  if (publicUrl) return publicUrl.origin;
  const host = req.headers.get("host") ?? req.nextUrl.host;
  return `${req.nextUrl.protocol}//${host}`;
}

// The redirect URI registered at the IdP: the callback under the app's origin.
export const redirectUri = (req: NextRequest) => `${appOrigin(req)}${CALLBACK_PATH}`;
