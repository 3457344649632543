import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { GET as exportCsv } from "@/app/api/export.csv/route";
import { GET as exportJson } from "@/app/api/export.json/route";
import { closeDb, getDb } from "@/lib/db";
import { loginLimiters, storedKey } from "@/lib/auth/login-throttle";
import { HASH_SLOTS, withHashSlot } from "@/lib/auth/hash-slots";
import { createTestUser, resetDatabase, tokenFor } from "../support/api";
import { jsonFrom, send } from "../support/auth-http";

const PASSWORD = "ana's right password";
const savedProxies = process.env.DAXBOARD_TRUSTED_PROXIES;

// One reverse proxy is trusted, so each request's address is the x-forwarded-for entry it appended.
const attempt = (email: string, password: string, address: string) =>
  send(login, { body: { email, password }, headers: { ...jsonFrom(), "x-forwarded-for": `6.6.6.6, ${address}` } });

beforeAll(async () => {
  process.env.DAXBOARD_TRUSTED_PROXIES = "1";
  await resetDatabase();
  await createTestUser("ana@example.com", "viewer", PASSWORD);
  await createTestUser("bob@example.com", "viewer", PASSWORD);
});
afterAll(async () => {
  if (savedProxies === undefined) delete process.env.DAXBOARD_TRUSTED_PROXIES;
  else process.env.DAXBOARD_TRUSTED_PROXIES = savedProxies;
  await closeDb();
});

describe("login throttling", () => {
  it("refuses the 11th attempt in a minute with 429 and Retry-After, even with the right password", async () => {
    for (let i = 1; i <= 10; i++) {
      const res = await attempt("ana@example.com", `wrong guess ${i}`, "192.0.2.10");
      expect(res.status, `attempt ${i}`).toBe(401);
    }
    const right = await attempt("ana@example.com", PASSWORD, "192.0.2.10");
    expect(right.status).toBe(429);
    expect(right.json.error.code).toBe("throttled");
    const retryAfter = Number(right.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(right.headers.get("set-cookie")).toBeNull();
    // From another address too: the limit is the account's.
    expect((await attempt("ana@example.com", PASSWORD, "192.0.2.99")).status).toBe(429);
    // Another account from the same address is not affected (10 failures are under the address limit).
    expect((await attempt("bob@example.com", PASSWORD, "192.0.2.10")).status).toBe(200);
  }, 120_000);

  it("records each failure with its reason and address, the block once, and never a password", async () => {
    const events = await getDb().auditEvent.findMany({
      where: { action: { startsWith: "user.login" } },
      orderBy: { at: "asc" },
    });
    const failed = events.filter((e) => e.action === "user.login-failed");
    expect(failed).toHaveLength(10);
    expect(failed[0]).toMatchObject({ actorType: "system", actorLabel: "anonymous", targetType: "user" });
    expect(failed[0].detail).toEqual({ email: "ana@example.com", address: "192.0.2.10", reason: "wrong-password" });
    const throttled = events.filter((e) => e.action === "user.login-throttled");
    expect(throttled.map((e) => e.detail)).toEqual([
      { scope: "account", email: "ana@example.com", address: "192.0.2.10", blockedSeconds: 60 },
    ]);
    const ok = events.filter((e) => e.action === "user.login");
    expect(ok.map((e) => [e.actorLabel, e.detail])).toEqual([["bob@example.com", { address: "192.0.2.10" }]]);
    const all = JSON.stringify(await getDb().auditEvent.findMany());
    expect(all).not.toContain("wrong guess");
    expect(all).not.toContain(PASSWORD);
  });

  it("records unknown and disabled accounts with their reason", async () => {
    await createTestUser("dis@example.com", "viewer", PASSWORD);
    await getDb().user.update({ where: { email: "dis@example.com" }, data: { disabled: true } });
    expect((await attempt("nobody@example.com", PASSWORD, "192.0.2.11")).status).toBe(401);
    expect((await attempt("dis@example.com", PASSWORD, "192.0.2.11")).status).toBe(401);
    const reasons = await getDb().auditEvent.findMany({
      where: { action: "user.login-failed", detail: { path: ["address"], equals: "192.0.2.11" } },
    });
    expect(reasons.map((e) => (e.detail as { reason: string }).reason).sort()).toEqual(["disabled", "unknown-user"]);
  }, 60_000);

  it("blocks longer at each further block of the same account (backoff)", async () => {
    const { counters } = loginLimiters();
    const key = storedKey({ scope: "account", id: "ana@example.com" });
    // The first block has run out; nine more failures are already counted in the new minute.
    await counters.account.delete(key);
    await counters.account.consume(key, 9);
    expect((await attempt("ana@example.com", "wrong again", "192.0.2.12")).status).toBe(401);
    const refused = await attempt("ana@example.com", PASSWORD, "192.0.2.12");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(60);
    const blocks = await getDb().auditEvent.findMany({
      where: { action: "user.login-throttled" },
      orderBy: { at: "asc" },
    });
    expect(blocks.map((e) => (e.detail as { blockedSeconds: number }).blockedSeconds)).toEqual([60, 120]);
  }, 60_000);

  it("limits an address across accounts, and only that address", async () => {
    const { counters } = loginLimiters();
    // 49 failures from this address were already counted (each costs a 1 s hash; the 50th is real).
    await counters.address.consume(storedKey({ scope: "address", id: "198.51.100.20" }), 49);
    expect((await attempt("carol@example.com", "a guess", "198.51.100.20")).status).toBe(401);
    const bob = await attempt("bob@example.com", PASSWORD, "198.51.100.20");
    expect(bob.status).toBe(429);
    expect(bob.json.error.message).toMatch(/your address/);
    expect((await attempt("bob@example.com", PASSWORD, "198.51.100.21")).status).toBe(200);
    const block = await getDb().auditEvent.findFirst({
      where: { action: "user.login-throttled", detail: { path: ["scope"], equals: "address" } },
    });
    expect(block?.detail).toMatchObject({ scope: "address", address: "198.51.100.20", blockedSeconds: 60 });
  }, 60_000);

  it("answers 503 with Retry-After when every hash slot is taken, without counting the attempt", async () => {
    const gates: Array<() => void> = [];
    const held = Array.from({ length: HASH_SLOTS.running + HASH_SLOTS.waiting }, () =>
      withHashSlot(() => new Promise<void>((resolve) => gates.push(resolve))),
    );
    await new Promise((r) => setTimeout(r, 10));
    const busy = await attempt("bob@example.com", PASSWORD, "192.0.2.30");
    while (gates.length < held.length) {
      gates.forEach((open) => open());
      await new Promise((r) => setTimeout(r, 1));
    }
    gates.forEach((open) => open());
    await Promise.all(held);
    expect(busy.status).toBe(503);
    expect(busy.json.error.code).toBe("busy");
    expect(busy.headers.get("retry-after")).toBe("1");
    const counted = await loginLimiters().counters.address.get(storedKey({ scope: "address", id: "192.0.2.30" }));
    expect(counted?.consumedPoints ?? 0).toBe(0);
    expect((await attempt("bob@example.com", PASSWORD, "192.0.2.30")).status).toBe(200);
  }, 60_000);

  it("upgrades an older password hash at the next successful login", async () => {
    const salt = crypto.randomBytes(16);
    const hash = crypto.scryptSync("legacy password!", salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const legacy = `scrypt$32768$8$1$${salt.toString("base64")}$${hash.toString("base64")}`;
    await getDb().user.create({
      data: { email: "old@example.com", displayName: "Old", role: "viewer", passwordHash: legacy },
    });
    expect((await attempt("old@example.com", "legacy password!", "192.0.2.40")).status).toBe(200);
    const after = await getDb().user.findUniqueOrThrow({
      where: { email: "old@example.com" },
      omit: { passwordHash: false },
    });
    expect(after.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect((await attempt("old@example.com", "legacy password!", "192.0.2.40")).status).toBe(200);
  }, 60_000);
});

describe("export audit", () => {
  it("records who exported what, in which format", async () => {
    const token = await tokenFor("viewer", "exporter");
    const csv = await send(exportCsv, {
      url: "http://daxboard.test/api/export.csv?tag=rack3",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csv.status).toBe(200);
    const json = await send(exportJson, {
      url: "http://daxboard.test/api/export.json?verdict=not-ready",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(json.status).toBe(200);
    const events = await getDb().auditEvent.findMany({ where: { action: "host.export" }, orderBy: { at: "asc" } });
    expect(events.map((e) => [e.actorLabel, e.detail])).toEqual([
      ["token:exporter", { format: "csv", filter: { tag: "rack3" } }],
      ["token:exporter", { format: "json", filter: { verdict: ["not-ready"] } }],
    ]);
  });
});
