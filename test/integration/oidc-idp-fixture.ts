import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export type TestIdp = { issuer: string; port: number; stop: () => Promise<void> };

type IdpOptions = { port?: number; clientId: string; clientSecret: string; redirectUris: string[] };

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// The sign-in page: any username, and the groups the account is in from now on (comma-separated), so a test can
// move a user between groups from one login to the next the way a directory admin would.
function loginPage(uid: string, clientId: string): string {
  return `<!doctype html><html><head><title>Test IdP sign-in</title></head><body>
<h1>Test identity provider</h1><p>Signing in to ${escape(clientId)}</p>
<form method="post" action="/interaction/${escape(uid)}">
<label>Username <input name="username" autocomplete="off"></label>
<label>Groups <input name="groups" autocomplete="off"></label>
<button type="submit">Sign in at the IdP</button>
</form></body></html>`;
}

// A real OpenID provider (oidc-provider) on loopback: one confidential client, PKCE required, and a custom
// interaction that logs in and consents in one form post. Groups reach DAXboard through the userinfo endpoint.
export async function startTestIdp(options: IdpOptions): Promise<TestIdp> {
  const groups = new Map<string, string[]>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true },
    cookies: { keys: ["daxboard-test-idp-cookie-key"] },
    claims: { openid: ["sub", "groups"], email: ["email", "email_verified"], profile: ["name"] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        email: `${id}@idp.test`,
        email_verified: true,
        name: `${id[0].toUpperCase()}${id.slice(1)} Example`,
        groups: groups.get(id) ?? [],
      }),
    }),
  });
  const callback = provider.callback();
  server.on("request", (req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? "");
    if (!match) return callback(req, res);
    interact(provider, groups, req, res).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  return {
    issuer,
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function interact(
  provider: Provider,
  groups: Map<string, string[]>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const details = await provider.interactionDetails(req, res);
  if (req.method !== "POST") {
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(loginPage(details.uid, String(details.params.client_id)));
    return;
  }
  let body = "";
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  const accountId = (form.get("username") ?? "").trim();
  const list = (form.get("groups") ?? "")
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean);
  groups.set(accountId, list);
  const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  grant.addOIDCScope(String(details.params.scope));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

// A minimal cookie jar for one host: enough to carry the provider's interaction and session cookies.
export function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
    store(headers: Headers) {
      for (const line of headers.getSetCookie()) {
        const [pair] = line.split(";");
        const at = pair.indexOf("=");
        const value = pair.slice(at + 1);
        if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || !value) cookies.delete(pair.slice(0, at));
        else cookies.set(pair.slice(0, at), value);
      }
    },
  };
}

// Drives the provider like a browser from the authorization URL to the redirect back to the client: signs in as
// `username` in `groups`, and returns the callback URL (with code and state) the browser would be sent to.
export async function signInAtIdp(authUrl: string, username: string, groups: string[]): Promise<URL> {
  const jar = cookieJar();
  let url = new URL(authUrl);
  const issuerOrigin = url.origin;
  for (let hop = 0; hop < 10; hop++) {
    if (url.origin !== issuerOrigin) return url;
    const post = /^\/interaction\//.test(url.pathname);
    const res = await fetch(url, {
      method: post ? "POST" : "GET",
      redirect: "manual",
      headers: { cookie: jar.header(), ...(post ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body: post ? new URLSearchParams({ username, groups: groups.join(",") }).toString() : undefined,
    });
    jar.store(res.headers);
    const location = res.headers.get("location");
    if (!location) throw new Error(`the IdP answered ${res.status} at ${url}: ${(await res.text()).slice(0, 500)}`);
    url = new URL(location, url);
  }
  throw new Error("the IdP redirected too often");
}
