import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/me/route";
import { GET as listTokens, POST as createToken } from "@/app/api/tokens/route";
import { PATCH as patchUser } from "@/app/api/users/[id]/route";
import { closeDb, getDb } from "@/lib/db";
import { createSession } from "@/lib/auth/sessions";
import { call, createTestUser, resetDatabase, tokenFor } from "../support/api";

let admin: { id: string; cookie: string };
let otherAdminCookie: string;

async function adminSession(email: string) {
  const user = await createTestUser(email, "admin");
  return { id: user.id, cookie: (await createSession(user.id)).token };
}

const issue = async (cookie: string, body: Record<string, unknown>) => {
  const res = await call(createToken, { body, cookie });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json as { token: string; id: string; expiresAt: string | null };
};
const works = async (token: string) => (await call(me, { token })).status === 200;

beforeAll(async () => {
  await resetDatabase();
  admin = await adminSession("issuer@example.com");
  otherAdminCookie = (await adminSession("other-admin@example.com")).cookie;
}, 60_000);
afterAll(closeDb);

describe("API token expiry", () => {
  it("issues a token that expires after the days asked for, and refuses it after", async () => {
    const before = Date.now();
    const issued = await issue(admin.cookie, { name: "week", role: "viewer", expiresInDays: 7 });
    const expiresAt = Date.parse(issued.expiresAt!);
    expect(expiresAt - before).toBeGreaterThanOrEqual(7 * 86_400_000 - 1000);
    expect(expiresAt - before).toBeLessThanOrEqual(7 * 86_400_000 + 60_000);
    expect(await works(issued.token)).toBe(true);
    await getDb().apiToken.update({ where: { id: issued.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await works(issued.token)).toBe(false);
  });

  it("refuses nonsense expiries, and a token without one never expires", async () => {
    for (const expiresInDays of [0, -1, 1.5, 5000, "7"]) {
      const res = await call(createToken, {
        body: { name: "bad", role: "viewer", expiresInDays },
        cookie: admin.cookie,
      });
      expect(res.status, String(expiresInDays)).toBe(422);
      expect(res.json.error.field).toBe("expiresInDays");
    }
    const forever = await issue(admin.cookie, { name: "forever", role: "viewer" });
    expect(forever.expiresAt).toBeNull();
  });
});

describe("API token last use", () => {
  it("records when a token was last used and lists it with its expiry and issuer", async () => {
    const issued = await issue(admin.cookie, { name: "used", role: "viewer", expiresInDays: 30 });
    const listed = async () =>
      (await call(listTokens, { cookie: admin.cookie })).json.tokens.find((t: { id: string }) => t.id === issued.id);
    expect((await listed()).lastUsedAt).toBeNull();
    expect(await works(issued.token)).toBe(true);
    const row = await listed();
    expect(Date.now() - Date.parse(row.lastUsedAt)).toBeLessThan(60_000);
    expect(row).toMatchObject({ name: "used", createdBy: { email: "issuer@example.com" } });
    expect(row.expiresAt).toBe(issued.expiresAt);
    // A second use within the minute does not write again.
    const first = row.lastUsedAt;
    expect(await works(issued.token)).toBe(true);
    expect((await listed()).lastUsedAt).toBe(first);
  });
});

describe("API tokens follow their issuer", () => {
  it("stop working when the issuing admin is disabled, and work again when re-enabled", async () => {
    const issued = await issue(admin.cookie, { name: "follows-disable", role: "viewer" });
    expect(await works(issued.token)).toBe(true);
    await call(patchUser, {
      method: "PATCH",
      params: { id: admin.id },
      body: { disabled: true },
      cookie: otherAdminCookie,
    });
    expect(await works(issued.token)).toBe(false);
    await call(patchUser, {
      method: "PATCH",
      params: { id: admin.id },
      body: { disabled: false },
      cookie: otherAdminCookie,
    });
    expect(await works(issued.token)).toBe(true);
  });

  it("stop working when the issuer is demoted below the token's role, not when still at or above it", async () => {
    admin = { id: admin.id, cookie: (await createSession(admin.id)).token };
    const adminToken = await issue(admin.cookie, { name: "admin-role", role: "admin" });
    const operatorToken = await issue(admin.cookie, { name: "operator-role", role: "operator" });
    const demote = await call(patchUser, {
      method: "PATCH",
      params: { id: admin.id },
      body: { role: "operator" },
      cookie: otherAdminCookie,
    });
    expect(demote.status).toBe(200);
    expect(await works(adminToken.token)).toBe(false);
    expect(await works(operatorToken.token)).toBe(true);
  });

  it("keep working for tokens made on the command line (no issuer)", async () => {
    const token = await tokenFor("admin", "cli-made");
    expect(await works(token)).toBe(true);
  });
});

describe("npm run token --expires-days", () => {
  it("issues a token with an expiry, and rejects a bad value", () => {
    const env = { ...process.env };
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ["--import", "tsx", "lib/cli/token.ts", ...args], { env, encoding: "utf8" });
    const bad = run("--name", "x", "--role", "viewer", "--expires-days", "soon");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/expiresInDays/);
    const ok = run("--name", "cli-expiring", "--role", "viewer", "--expires-days", "3");
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toMatch(/^dxb_/);
    expect(ok.stderr).toMatch(/valid until/);
  }, 60_000);

  it("stored that expiry", async () => {
    const row = await getDb().apiToken.findFirstOrThrow({ where: { name: "cli-expiring" } });
    expect(row.createdById).toBeNull();
    const days = (row.expiresAt!.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(2.99);
    expect(days).toBeLessThan(3.01);
  });
});
