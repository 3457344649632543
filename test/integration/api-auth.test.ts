import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as setup } from "@/app/api/auth/setup/route";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as me } from "@/app/api/me/route";
import { GET as listTokens, POST as createToken } from "@/app/api/tokens/route";
import { DELETE as revokeToken } from "@/app/api/tokens/[id]/route";
import { POST as createUser } from "@/app/api/users/route";
import { PATCH as patchUser } from "@/app/api/users/[id]/route";
import { POST as createHost } from "@/app/api/hosts/route";
import { closeDb, getDb } from "@/lib/db";
import { sha256Hex } from "@/lib/auth/password";
import { ensureSetupCode } from "@/lib/users/setup-code";
import { call, resetDatabase } from "../support/api";

const ADMIN = { email: "admin@example.com", displayName: "Ada", password: "a long admin password" };

function cookieFrom(res: { headers: Headers }): string {
  const match = res.headers.get("set-cookie")?.match(/daxboard_session=([^;]*)/);
  if (!match?.[1]) throw new Error("no session cookie set");
  return match[1];
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-auth-"));
const savedDataDir = process.env.DAXBOARD_DATA_DIR;

beforeAll(async () => {
  process.env.DAXBOARD_DATA_DIR = dataDir;
  await resetDatabase();
});
afterAll(async () => {
  process.env.DAXBOARD_DATA_DIR = savedDataDir;
  fs.rmSync(dataDir, { recursive: true, force: true });
  await closeDb();
});

describe("first run and login", () => {
  let adminCookie: string;

  it("creates the first admin through setup exactly once", async () => {
    const setupCode = ensureSetupCode().code;
    const first = await call(setup, { body: { ...ADMIN, setupCode } });
    expect(first.status).toBe(201);
    expect(first.json.user.role).toBe("admin");
    const setCookie = first.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    adminCookie = cookieFrom(first);
    const second = await call(setup, { body: { ...ADMIN, email: "intruder@example.com", setupCode } });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe("setup_done");
    expect(await getDb().user.count()).toBe(1);
  });

  it("stores a scrypt hash, never the password", async () => {
    const user = await getDb().user.findUniqueOrThrow({ where: { email: ADMIN.email }, omit: { passwordHash: false } });
    expect(user.passwordHash).toMatch(/^scrypt\$/);
    expect(user.passwordHash).not.toContain(ADMIN.password);
  });

  it("logs in with the right password only", async () => {
    const bad = await call(login, { body: { email: ADMIN.email, password: "wrong password!" } });
    expect(bad.status).toBe(401);
    const good = await call(login, { body: { email: ADMIN.email, password: ADMIN.password } });
    expect(good.status).toBe(200);
    const cookie = cookieFrom(good);
    const who = await call(me, { cookie });
    expect(who.json.actor).toMatchObject({ kind: "user", role: "admin", label: ADMIN.email });
  });

  it("refuses cookie mutations from another origin or with no origin", async () => {
    const body = { name: "x", address: "10.0.0.1", username: "u", auth: { type: "agent" } };
    const cross = await call(createHost, { body, cookie: adminCookie, origin: "https://evil.example" });
    expect(cross.status).toBe(403);
    expect(cross.json.error.code).toBe("cross_site");
    const none = await call(createHost, { body, cookie: adminCookie, origin: null });
    expect(none.status).toBe(403);
    const same = await call(createHost, { body, cookie: adminCookie });
    expect(same.status).toBe(201);
  });

  it("expires sessions and ends them on logout", async () => {
    const res = await call(login, { body: { email: ADMIN.email, password: ADMIN.password } });
    const cookie = cookieFrom(res);
    await getDb().session.update({
      where: { id: sha256Hex(cookie) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await call(me, { cookie })).status).toBe(401);
    const again = cookieFrom(await call(login, { body: { email: ADMIN.email, password: ADMIN.password } }));
    expect((await call(me, { cookie: again })).status).toBe(200);
    await call(logout, { method: "POST", cookie: again });
    expect((await call(me, { cookie: again })).status).toBe(401);
  });

  it("manages users: a disabled user cannot log in, a viewer cannot administer", async () => {
    const created = await call(createUser, {
      body: { email: "vic@example.com", displayName: "Vic", password: "viewer password 1", role: "viewer" },
      cookie: adminCookie,
    });
    expect(created.status).toBe(201);
    const weak = await call(createUser, {
      body: { email: "w@example.com", displayName: "W", password: "short" },
      cookie: adminCookie,
    });
    expect(weak.status).toBe(422);
    expect(weak.json.error.field).toBe("password");
    const vic = cookieFrom(await call(login, { body: { email: "vic@example.com", password: "viewer password 1" } }));
    expect(
      (
        await call(createUser, {
          body: { email: "z@example.com", displayName: "Z", password: "zzzzzzzzzzzzzz" },
          cookie: vic,
        })
      ).status,
    ).toBe(403);
    await call(patchUser, {
      method: "PATCH",
      params: { id: created.json.user.id },
      body: { disabled: true },
      cookie: adminCookie,
    });
    const audit = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "user.update", targetId: created.json.user.id },
    });
    expect(audit.detail).toMatchObject({ changes: { disabled: { old: false, new: true } } });
    expect((await call(me, { cookie: vic })).status).toBe(401);
    expect((await call(login, { body: { email: "vic@example.com", password: "viewer password 1" } })).status).toBe(401);
  });

  it("issues API tokens that work until revoked", async () => {
    const issued = await call(createToken, { body: { name: "ci", role: "operator" }, cookie: adminCookie });
    expect(issued.status).toBe(201);
    const token = issued.json.token as string;
    expect(token).toMatch(/^dxb_/);
    const listed = await call(listTokens, { cookie: adminCookie });
    expect(listed.text).not.toContain(token);
    expect(listed.json.tokens[0]).toMatchObject({ name: "ci", role: "operator", revokedAt: null });
    const viaToken = await call(createHost, {
      body: { name: "t1", address: "10.3.3.3", username: "u", auth: { type: "agent" } },
      token,
      origin: null,
    });
    expect(viaToken.status).toBe(201);
    expect((await call(me, { token })).json.actor.role).toBe("operator");
    // A token cannot mint tokens: one minted by a leaked admin token would have no user to expire with.
    const adminToken = (await call(createToken, { body: { name: "admin-ci", role: "admin" }, cookie: adminCookie }))
      .json.token as string;
    const minted = await call(createToken, { body: { name: "child", role: "admin" }, token: adminToken, origin: null });
    expect(minted.status).toBe(403);
    expect(minted.json.error.message).toMatch(/API tokens cannot issue tokens/);
    await call(revokeToken, { method: "DELETE", params: { id: issued.json.id }, cookie: adminCookie });
    expect((await call(me, { token })).status).toBe(401);
    const audit = await getDb().auditEvent.findMany({ where: { action: { startsWith: "token." } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["token.create", "token.create", "token.revoke"]);
  });
});
