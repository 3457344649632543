import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as logout } from "@/app/api/auth/logout/route";
import { GET as me } from "@/app/api/me/route";
import { POST as changePassword } from "@/app/api/me/password/route";
import { closeDb, getDb } from "@/lib/db";
import { sha256Hex } from "@/lib/auth/password";
import { call, createTestUser, resetDatabase, tokenFor } from "../support/api";
import { sessionCookieValue } from "../support/auth-http";

const EMAIL = "sam@example.com";
const PASSWORD = "sam's first password";

const logIn = async (password = PASSWORD) => {
  const res = await call(login, { body: { email: EMAIL, password } });
  expect(res.status).toBe(200);
  return sessionCookieValue(res);
};
const sessionRow = (cookie: string) => getDb().session.findUnique({ where: { id: sha256Hex(cookie) } });
const setLastSeen = (cookie: string, minutesAgo: number) =>
  getDb().session.update({
    where: { id: sha256Hex(cookie) },
    data: { lastSeenAt: new Date(Date.now() - minutesAgo * 60_000) },
  });

const savedIdle = process.env.DAXBOARD_SESSION_IDLE_MINUTES;
beforeAll(async () => {
  delete process.env.DAXBOARD_SESSION_IDLE_MINUTES;
  await resetDatabase();
  await createTestUser(EMAIL, "operator", PASSWORD);
});
afterAll(async () => {
  if (savedIdle !== undefined) process.env.DAXBOARD_SESSION_IDLE_MINUTES = savedIdle;
  await closeDb();
});

describe("idle timeout", () => {
  it("ends a session unused for longer than DAXBOARD_SESSION_IDLE_MINUTES (default 60), before its absolute expiry", async () => {
    const cookie = await logIn();
    await setLastSeen(cookie, 59);
    expect((await call(me, { cookie })).status).toBe(200);
    await setLastSeen(cookie, 61);
    expect((await call(me, { cookie })).status).toBe(401);
    expect(await sessionRow(cookie)).toBeNull();

    process.env.DAXBOARD_SESSION_IDLE_MINUTES = "5";
    try {
      const short = await logIn();
      await setLastSeen(short, 6);
      expect((await call(me, { cookie: short })).status).toBe(401);
    } finally {
      delete process.env.DAXBOARD_SESSION_IDLE_MINUTES;
    }
  }, 60_000);

  it("keeps an active session alive, writing lastSeenAt at most once a minute", async () => {
    const cookie = await logIn();
    const fresh = (await sessionRow(cookie))!.lastSeenAt;
    expect((await call(me, { cookie })).status).toBe(200);
    expect((await sessionRow(cookie))!.lastSeenAt).toEqual(fresh);
    await setLastSeen(cookie, 50);
    expect((await call(me, { cookie })).status).toBe(200);
    const touched = (await sessionRow(cookie))!.lastSeenAt;
    expect(Date.now() - touched.getTime()).toBeLessThan(60_000);
    // Fifty more minutes later it is still alive, because the request above counted as use.
    await getDb().session.update({
      where: { id: sha256Hex(cookie) },
      data: { lastSeenAt: new Date(touched.getTime() - 50 * 60_000) },
    });
    expect((await call(me, { cookie })).status).toBe(200);
  }, 60_000);
});

describe("logout", () => {
  it("ends the session and records it", async () => {
    const cookie = await logIn();
    expect((await call(logout, { method: "POST", cookie })).status).toBe(200);
    expect((await call(me, { cookie })).status).toBe(401);
    const events = await getDb().auditEvent.findMany({ where: { action: "user.logout" } });
    expect(events.map((e) => e.actorLabel)).toEqual([EMAIL]);
  }, 60_000);

  it("refuses a cross-site logout", async () => {
    const cookie = await logIn();
    expect((await call(logout, { method: "POST", cookie, origin: "https://evil.example" })).status).toBe(403);
    expect((await call(me, { cookie })).status).toBe(200);
  }, 60_000);
});

describe("changing your own password", () => {
  it("needs the current password, ends your other sessions only, and is audited", async () => {
    const here = await logIn();
    const elsewhere = await logIn();
    const wrong = await call(changePassword, {
      body: { currentPassword: "not my password", newPassword: "a brand new password" },
      cookie: here,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.field).toBe("currentPassword");
    const weak = await call(changePassword, {
      body: { currentPassword: PASSWORD, newPassword: "short" },
      cookie: here,
    });
    expect(weak.status).toBe(422);
    expect(weak.json.error.field).toBe("newPassword");
    expect((await call(me, { cookie: elsewhere })).status).toBe(200);

    const ok = await call(changePassword, {
      body: { currentPassword: PASSWORD, newPassword: "a brand new password" },
      cookie: here,
    });
    expect(ok.status).toBe(204);
    expect((await call(me, { cookie: here })).status).toBe(200);
    expect((await call(me, { cookie: elsewhere })).status).toBe(401);
    expect((await call(login, { body: { email: EMAIL, password: PASSWORD } })).status).toBe(401);
    await logIn("a brand new password");

    const events = await getDb().auditEvent.findMany({
      where: { action: { startsWith: "user.password-change" } },
      orderBy: { at: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["user.password-change-failed", "user.password-change"]);
    expect(events[1]).toMatchObject({ actorLabel: EMAIL, targetType: "user" });
    expect((events[1].detail as { endedSessions: number }).endedSessions).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(events)).not.toContain("brand new");
  }, 120_000);

  it("is for logged-in users, not API tokens", async () => {
    const token = await tokenFor("admin");
    const res = await call(changePassword, {
      body: { currentPassword: "x", newPassword: "a brand new password" },
      token,
      origin: null,
    });
    expect(res.status).toBe(403);
  });
});
