import crypto from "node:crypto";
import { NextRequest, NextResponse } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET as start } from "@/app/api/auth/oidc/start/route";
import { GET as callback } from "@/app/api/auth/oidc/callback/route";
import { POST as login } from "@/app/api/auth/login/route";
import { closeDb, getDb } from "@/lib/db";
import { actorFromSession } from "@/lib/auth/sessions";
import { resetSecretKeyCache } from "@/lib/crypto/secret-key";
import { readFlowCookie, setFlowCookie } from "@/lib/oidc/flow-cookie";
import { parseRoleMap, roleFromGroups } from "@/lib/oidc/settings";
import { createTestUser, resetDatabase } from "../support/api";
import { jsonFrom, send, sessionCookieValue } from "../support/auth-http";
import { signInAtIdp, startTestIdp, type TestIdp } from "./oidc-idp-fixture";

const APP = "http://daxboard.test";
const FLOW = "daxboard_oidc_flow";
const ROLE_MAP = "daxboard-admins=admin,daxboard-ops=operator,*=viewer";
const ENV = [
  "DAXBOARD_OIDC_ISSUER",
  "DAXBOARD_OIDC_CLIENT_ID",
  "DAXBOARD_OIDC_CLIENT_SECRET",
  "DAXBOARD_OIDC_ROLE_MAP",
  "DAXBOARD_SECRET_KEY",
  "DAXBOARD_LOCAL_LOGIN",
  "DAXBOARD_PUBLIC_URL",
];
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({
    clientId: "daxboard",
    clientSecret: "test-client-secret",
    redirectUris: [`${APP}/api/auth/oidc/callback`],
  });
  process.env.DAXBOARD_OIDC_ISSUER = idp.issuer;
  process.env.DAXBOARD_OIDC_CLIENT_ID = "daxboard";
  process.env.DAXBOARD_OIDC_CLIENT_SECRET = "test-client-secret";
  process.env.DAXBOARD_SECRET_KEY = crypto.randomBytes(32).toString("hex");
  delete process.env.DAXBOARD_PUBLIC_URL;
  resetSecretKeyCache();
});
beforeEach(async () => {
  process.env.DAXBOARD_OIDC_ROLE_MAP = ROLE_MAP;
  delete process.env.DAXBOARD_LOCAL_LOGIN;
  await resetDatabase();
});
afterAll(async () => {
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  resetSecretKeyCache();
  await idp?.stop();
  await closeDb();
});

const flowCookieOf = (res: { headers: Headers }) => sessionCookieValue(res, FLOW);

// The browser's trip: DAXboard's start, the IdP's sign-in page, then DAXboard's callback with the flow cookie.
async function beginSignIn(next?: string) {
  const res = await send(start, {
    url: `${APP}/api/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ""}`,
  });
  expect(res.status).toBe(303);
  return { authUrl: res.headers.get("location")!, flowCookie: flowCookieOf(res) };
}

const finish = (callbackUrl: URL, flowCookie?: string) =>
  send(callback, { url: callbackUrl.href, headers: flowCookie ? { cookie: `${FLOW}=${flowCookie}` } : {} });

async function signIn(username: string, groups: string[], next?: string) {
  const { authUrl, flowCookie } = await beginSignIn(next);
  return finish(await signInAtIdp(authUrl, username, groups), flowCookie);
}

const refusedWith = (res: { status: number; headers: Headers }, code: string) => {
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe(`${APP}/login?sso_error=${code}`);
  expect(res.headers.getSetCookie().some((c) => c.startsWith("daxboard_session="))).toBe(false);
};

describe("single sign-on against a real OpenID provider", () => {
  it("starts an authorization code flow with PKCE (S256), state and nonce, bound to a sealed httpOnly cookie", async () => {
    const res = await send(start, { url: `${APP}/api/auth/oidc/start?next=/hosts` });
    const url = new URL(res.headers.get("location")!);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe(`${APP}/api/auth/oidc/callback`);
    for (const param of ["code_challenge", "state", "nonce"]) expect(url.searchParams.get(param)).toMatch(/^.{20,}$/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${FLOW}=`))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/api\/auth\/oidc/);
    expect(cookie).toMatch(/Max-Age=600/);
    // Sealed: neither the state nor the PKCE verifier can be read from the cookie.
    expect(cookie).not.toContain(url.searchParams.get("state")!);
  });

  it("creates the user at first sign-in with the mapped role and a DAXboard session, and audits it", async () => {
    const res = await signIn("alice", ["staff", "daxboard-admins"], "/hosts");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${APP}/hosts`);
    const actor = await actorFromSession(sessionCookieValue(res));
    expect(actor).toMatchObject({ kind: "user", role: "admin", label: "alice@idp.test", displayName: "Alice Example" });
    const user = await getDb().user.findUniqueOrThrow({
      where: { email: "alice@idp.test" },
      omit: { passwordHash: false },
    });
    expect(user).toMatchObject({
      oidcIssuer: `${idp.issuer}`,
      oidcSubject: "alice",
      passwordHash: null,
      role: "admin",
    });
    const audit = await getDb().auditEvent.findMany({ where: { targetId: user.id }, orderBy: { at: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["user.create", "user.login"]);
    expect(audit[1].detail).toMatchObject({ method: "oidc", groups: ["staff", "daxboard-admins"] });
  });

  it("re-reads the role at every sign-in: out of the admin group, the user loses admin", async () => {
    const first = await signIn("bob", ["daxboard-admins"]);
    expect((await actorFromSession(sessionCookieValue(first)))?.role).toBe("admin");
    const second = await signIn("bob", ["daxboard-ops"]);
    expect((await actorFromSession(sessionCookieValue(second)))?.role).toBe("operator");
    // The earlier session is read against the user's row, so it is no longer admin either.
    expect((await actorFromSession(sessionCookieValue(first)))?.role).toBe("operator");
    const third = await signIn("bob", ["elsewhere"]);
    expect((await actorFromSession(sessionCookieValue(third)))?.role).toBe("viewer");
    expect(await getDb().user.count()).toBe(1);
  });

  it("refuses a user none of whose groups maps to a role when the map has no *", async () => {
    process.env.DAXBOARD_OIDC_ROLE_MAP = "daxboard-admins=admin";
    refusedWith(await signIn("carol", ["staff"]), "no_role");
    expect(await getDb().user.count()).toBe(0);
    const failed = await getDb().auditEvent.findFirstOrThrow({ where: { action: "user.login-failed" } });
    expect(failed.detail).toMatchObject({ method: "oidc", reason: "no-role-mapped", email: "carol@idp.test" });
  });

  it("refuses a disabled user", async () => {
    await signIn("dave", ["daxboard-ops"]);
    await getDb().user.update({ where: { email: "dave@idp.test" }, data: { disabled: true } });
    refusedWith(await signIn("dave", ["daxboard-ops"]), "disabled");
  });

  it("refuses an answer whose state is not this browser's, and one without the flow cookie", async () => {
    const { authUrl, flowCookie } = await beginSignIn();
    const answer = await signInAtIdp(authUrl, "erin", ["daxboard-admins"]);
    const forged = new URL(answer);
    forged.searchParams.set("state", "attacker-chosen-state");
    refusedWith(await finish(forged, flowCookie), "state");
    refusedWith(await finish(answer), "expired");
    // Another browser's flow cookie does not fit this answer either.
    const other = await beginSignIn();
    refusedWith(await finish(answer, other.flowCookie), "state");
    expect(await getDb().user.count()).toBe(0);
  });

  it("shows the IdP's refusal as a sentence, and sends to the login page while single sign-on is off", async () => {
    const { authUrl, flowCookie } = await beginSignIn();
    const denied = new URL(`${APP}/api/auth/oidc/callback`);
    denied.searchParams.set("error", "access_denied");
    denied.searchParams.set("state", new URL(authUrl).searchParams.get("state")!);
    refusedWith(await finish(denied, flowCookie), "idp_error");
    delete process.env.DAXBOARD_OIDC_ISSUER;
    try {
      refusedWith(await send(start, { url: `${APP}/api/auth/oidc/start` }), "off");
    } finally {
      process.env.DAXBOARD_OIDC_ISSUER = idp.issuer;
    }
  });

  it("refuses an ID token whose nonce is not the flow's", async () => {
    const { authUrl, flowCookie } = await beginSignIn();
    const answer = await signInAtIdp(authUrl, "frank", ["daxboard-admins"]);
    // The same flow (state and PKCE verifier), sealed with the app's key, but another nonce.
    const state = answer.searchParams.get("state")!;
    const nonce = new URL(authUrl).searchParams.get("nonce")!;
    const verifier = verifierFrom(flowCookie, state, nonce);
    const tampered = NextResponse.next();
    setFlowCookie(tampered, { state, nonce: "not-the-nonce-the-idp-signed", verifier, next: "/" });
    refusedWith(await finish(answer, flowCookieOf(tampered)), "failed");
    expect(await getDb().user.count()).toBe(0);
  });

  it("keeps local accounts working, and refuses every password login with DAXBOARD_LOCAL_LOGIN=off", async () => {
    await createTestUser("local@example.com", "admin", "a long local password");
    const body = { email: "local@example.com", password: "a long local password" };
    expect((await send(login, { url: `${APP}/api/auth/login`, body, headers: jsonFrom() })).status).toBe(200);
    process.env.DAXBOARD_LOCAL_LOGIN = "off";
    const off = await send(login, { url: `${APP}/api/auth/login`, body, headers: jsonFrom() });
    expect(off.status).toBe(403);
    expect(off.json.error.code).toBe("local_login_off");
    expect(off.json.error.message).toMatch(/DAXBOARD_LOCAL_LOGIN=off/);
    expect((await signIn("gina", ["daxboard-ops"])).status).toBe(303);
  });
});

describe("DAXBOARD_OIDC_ROLE_MAP", () => {
  it("maps groups to the highest listed role, else the * role, else none", () => {
    const map = parseRoleMap(" daxboard-admins=admin , daxboard-ops=operator,*=viewer");
    expect(roleFromGroups(["daxboard-ops", "daxboard-admins"], map)).toBe("admin");
    expect(roleFromGroups(["daxboard-ops"], map)).toBe("operator");
    expect(roleFromGroups([], map)).toBe("viewer");
    expect(roleFromGroups(["x"], parseRoleMap("daxboard-ops=operator"))).toBeNull();
    expect(() => parseRoleMap("daxboard-admins=root")).toThrow(/group=role/);
  });
});

// The PKCE verifier the start route sealed into the flow cookie, read with the app's own key.
function verifierFrom(flowCookie: string, state: string, nonce: string): string {
  const flow = readFlowCookie(new NextRequest(APP, { headers: { cookie: `${FLOW}=${flowCookie}` } }));
  expect(flow).toMatchObject({ state, nonce });
  return flow!.verifier;
}
