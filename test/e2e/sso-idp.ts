import { startTestIdp } from "../integration/oidc-idp-fixture";

// The OpenID provider the sso spec signs in at, started by playwright.config.ts beside the app (the app reads its
// issuer from the environment at start). Runs until Playwright stops it.
const port = Number(process.env.DAXBOARD_E2E_IDP_PORT ?? 3918);
const appPort = Number(process.env.DAXBOARD_E2E_PORT ?? 3917);
const idp = await startTestIdp({
  port,
  clientId: "daxboard-e2e",
  clientSecret: "daxboard-e2e-client-secret",
  redirectUris: [`http://127.0.0.1:${appPort}/api/auth/oidc/callback`],
});
console.log(`test IdP at ${idp.issuer}`);
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.on(signal, () => void idp.stop().then(() => process.exit(0)));
