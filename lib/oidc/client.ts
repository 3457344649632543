import * as oidc from "openid-client";
import { isLoopbackIssuer, type OidcSettings } from "./settings";
import type { OidcFlow } from "./flow-cookie";

export type OidcIdentity = { issuer: string; subject: string; claims: Record<string, unknown> };

// Discovery is fetched once per issuer and client, and again after a failure (the IdP may have been down).
let cached: { key: string; configuration: Promise<oidc.Configuration> } | undefined;

export function oidcConfiguration(settings: OidcSettings): Promise<oidc.Configuration> {
  const key = `${settings.issuer.href} ${settings.clientId}`;
  if (cached?.key === key) return cached.configuration;
  const auth = settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None();
  const execute = isLoopbackIssuer(settings.issuer) ? [oidc.allowInsecureRequests] : [];
  const configuration = oidc.discovery(settings.issuer, settings.clientId, undefined, auth, {
    execute,
    timeout: 10,
  });
  cached = { key, configuration };
  configuration.catch(() => {
    if (cached?.configuration === configuration) cached = undefined;
  });
  return configuration;
}

// A fresh flow and the IdP URL that starts it: authorization code with PKCE (S256), state and nonce.
export async function beginFlow(settings: OidcSettings, redirectUri: string, next: string) {
  const configuration = await oidcConfiguration(settings);
  const flow: OidcFlow = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    next,
  };
  const url = oidc.buildAuthorizationUrl(configuration, {
    redirect_uri: redirectUri,
    scope: "openid email profile",
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url, flow };
}

// Trades the code for tokens (PKCE verifier, state and the ID token's nonce checked by openid-client) and returns
// the ID token's claims merged with the userinfo endpoint's: several IdPs put groups in one place only.
export async function finishFlow(settings: OidcSettings, callbackUrl: URL, flow: OidcFlow): Promise<OidcIdentity> {
  const configuration = await oidcConfiguration(settings);
  const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error("the identity provider returned no ID token");
  let claims: Record<string, unknown> = { ...idClaims };
  if (configuration.serverMetadata().userinfo_endpoint) {
    const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    claims = { ...userinfo, ...idClaims, ...groupsOf(userinfo, settings.groupsClaim, idClaims) };
  }
  return { issuer: idClaims.iss, subject: idClaims.sub, claims };
}

// The ID token wins for every claim but the groups, which the userinfo answer may carry in full.
function groupsOf(userinfo: Record<string, unknown>, claim: string, idClaims: Record<string, unknown>) {
  const value = userinfo[claim] ?? idClaims[claim];
  return value === undefined ? {} : { [claim]: value };
}
