import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/auth/login/route";
import { POST as setup } from "@/app/api/auth/setup/route";
import { GET as me } from "@/app/api/me/route";
import { POST as createHost } from "@/app/api/hosts/route";
import { closeDb, getDb } from "@/lib/db";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { announceSetupCode, bootstrapAdminFromEnv } from "@/lib/users/first-admin";
import { setupCodeFile } from "@/lib/users/setup-code";
import { resetDatabase } from "../support/api";
import { jsonFrom, send, sessionCookieValue } from "../support/auth-http";

const ADMIN = { email: "root@example.com", displayName: "Root", password: "root's long password" };
const HOST = { name: "h1", address: "10.0.0.1", username: "u", auth: { type: "agent" } };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-origin-"));
const saved = {
  dataDir: process.env.DAXBOARD_DATA_DIR,
  publicUrl: process.env.DAXBOARD_PUBLIC_URL,
  proxies: process.env.DAXBOARD_TRUSTED_PROXIES,
};
const restore = (name: string, value: string | undefined) =>
  value === undefined ? delete process.env[name] : (process.env[name] = value);

beforeAll(async () => {
  process.env.DAXBOARD_DATA_DIR = dataDir;
  delete process.env.DAXBOARD_PUBLIC_URL;
  process.env.DAXBOARD_TRUSTED_PROXIES = "1";
  await resetDatabase();
});
afterEach(() => {
  delete process.env.DAXBOARD_PUBLIC_URL;
});
afterAll(async () => {
  restore("DAXBOARD_DATA_DIR", saved.dataDir);
  restore("DAXBOARD_PUBLIC_URL", saved.publicUrl);
  restore("DAXBOARD_TRUSTED_PROXIES", saved.proxies);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await closeDb();
});

describe("first-run setup code", () => {
  let code: string;

  it("prints a one-time code at start while no user exists, kept in DATA_DIR/setup-code with mode 0600", async () => {
    let printed = "";
    code = (await announceSetupCode((line) => (printed += line)))!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(printed).toContain(code);
    expect(printed).toMatch(/setup code/);
    expect(fs.statSync(setupCodeFile()).mode & 0o777).toBe(0o600);
    // A restart prints the same code again.
    expect(await announceSetupCode(() => undefined)).toBe(code);
  });

  it("refuses setup without the code or with a wrong one (403), and throttles guesses per address", async () => {
    const from = (address: string) => ({ ...jsonFrom(), "x-forwarded-for": address });
    const missing = await send(setup, { body: ADMIN, headers: from("192.0.2.50") });
    expect(missing.status).toBe(403);
    expect(missing.json.error).toMatchObject({ code: "setup_code", field: "setupCode" });
    for (let i = 1; i < 50; i++) {
      const wrong = await send(setup, {
        body: { ...ADMIN, setupCode: `WRNG-CODE-${String(i).padStart(4, "0")}-XXXX` },
        headers: from("192.0.2.50"),
      });
      expect(wrong.status, `guess ${i}`).toBe(403);
      expect(wrong.json.error.code).toBe("setup_code");
    }
    const throttled = await send(setup, { body: { ...ADMIN, setupCode: code }, headers: from("192.0.2.50") });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await getDb().user.count()).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: "setup.code-failed" } })).toBe(50);
  }, 60_000);

  it("creates the admin with the right code (any case, any dashes), then forgets the code", async () => {
    const typed = code.toLowerCase().replace(/-/g, " ");
    const res = await send(setup, {
      body: { ...ADMIN, setupCode: typed },
      headers: { ...jsonFrom(), "x-forwarded-for": "192.0.2.51" },
    });
    expect(res.status).toBe(201);
    expect((await send(me, { headers: { cookie: `daxboard_session=${sessionCookieValue(res)}` } })).status).toBe(200);
    expect(fs.existsSync(setupCodeFile())).toBe(false);
    const again = await send(setup, {
      body: { ...ADMIN, email: "late@example.com", setupCode: code },
      headers: jsonFrom(),
    });
    expect(again.status).toBe(409);
    expect(await announceSetupCode(() => undefined)).toBeNull();
  }, 60_000);

  it("DAXBOARD_ADMIN_EMAIL/PASSWORD still bootstrap an admin without any code", async () => {
    await resetDatabase();
    process.env.DAXBOARD_ADMIN_EMAIL = "boot@example.com";
    process.env.DAXBOARD_ADMIN_PASSWORD = "boot admin password";
    try {
      await bootstrapAdminFromEnv();
    } finally {
      delete process.env.DAXBOARD_ADMIN_EMAIL;
      delete process.env.DAXBOARD_ADMIN_PASSWORD;
    }
    expect(await announceSetupCode(() => undefined)).toBeNull();
    const res = await send(login, {
      body: { email: "boot@example.com", password: "boot admin password" },
      headers: jsonFrom(),
    });
    expect(res.status).toBe(200);
  }, 60_000);
});

describe("login and setup accept only JSON from our own page (no login CSRF)", () => {
  const body = { email: "boot@example.com", password: "boot admin password" };

  it("refuses other content types with 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await send(login, {
        rawBody: JSON.stringify(body),
        headers: { "content-type": type, origin: "http://daxboard.test" },
      });
      expect(res.status, type).toBe(415);
    }
    const none = await send(login, { rawBody: JSON.stringify(body), headers: { origin: "http://daxboard.test" } });
    expect(none.status).toBe(415);
    const setupForm = await send(setup, {
      rawBody: "email=x",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://daxboard.test" },
    });
    expect(setupForm.status).toBe(415);
    expect(
      (
        await send(login, {
          body,
          headers: { "content-type": "application/json; charset=utf-8", origin: "http://daxboard.test" },
        })
      ).status,
    ).toBe(200);
  }, 60_000);

  it("refuses another origin, a missing one, and a forged x-forwarded-host with 403", async () => {
    const json = { "content-type": "application/json" };
    expect((await send(login, { body, headers: { ...json, origin: "https://evil.example" } })).status).toBe(403);
    expect((await send(login, { body, headers: json })).status).toBe(403);
    expect((await send(login, { body, headers: { ...json, origin: "null" } })).status).toBe(403);
    const forged = await send(login, {
      body,
      headers: { ...json, origin: "https://evil.example", "x-forwarded-host": "evil.example" },
    });
    expect(forged.status).toBe(403);
    expect(
      (await send(setup, { body: { ...ADMIN, setupCode: "x" }, headers: { ...json, origin: "https://evil.example" } }))
        .status,
    ).toBe(403);
    expect(
      (await send(login, { body, headers: { ...json, referer: "http://daxboard.test/login?next=/" } })).status,
    ).toBe(200);
  }, 60_000);
});

describe("DAXBOARD_PUBLIC_URL", () => {
  const body = { email: "boot@example.com", password: "boot admin password" };

  it("without it: cookie daxboard_session, not Secure, origin checked against the Host header", async () => {
    expect(sessionCookieName()).toBe("daxboard_session");
    const res = await send(login, { body, headers: jsonFrom() });
    const line = res.headers.getSetCookie()[0];
    expect(line).toMatch(/^daxboard_session=/);
    expect(line).not.toMatch(/Secure/i);
  }, 60_000);

  it("under https: a Secure __Host- cookie with Path=/ and no Domain, read back under that name only", async () => {
    process.env.DAXBOARD_PUBLIC_URL = "https://daxboard.example.com";
    expect(sessionCookieName()).toBe("__Host-daxboard_session");
    const res = await send(login, {
      url: "http://10.0.0.5:3000/api/auth/login",
      body,
      headers: jsonFrom("https://daxboard.example.com"),
    });
    expect(res.status).toBe(200);
    const line = res.headers.getSetCookie()[0];
    expect(line).toMatch(/^__Host-daxboard_session=/);
    expect(line).toMatch(/; Secure/i);
    expect(line).toMatch(/; Path=\//i);
    expect(line).not.toMatch(/Domain=/i);
    expect(line).toMatch(/HttpOnly/i);
    const token = sessionCookieValue(res, "__Host-daxboard_session");
    expect((await send(me, { headers: { cookie: `__Host-daxboard_session=${token}` } })).status).toBe(200);
    expect((await send(me, { headers: { cookie: `daxboard_session=${token}` } })).status).toBe(401);
  }, 60_000);

  it("is the origin mutations must come from, whatever Host or x-forwarded-host say", async () => {
    process.env.DAXBOARD_PUBLIC_URL = "https://daxboard.example.com";
    const res = await send(login, { body, headers: jsonFrom("https://daxboard.example.com") });
    const cookie = `__Host-daxboard_session=${sessionCookieValue(res, "__Host-daxboard_session")}`;
    const post = (headers: Record<string, string>, url = "http://internal:3000/api/hosts", hostBody = HOST) =>
      send(createHost, { url, body: hostBody, headers: { cookie, "content-type": "application/json", ...headers } });
    // The request's own Host no longer counts once the public URL is set…
    expect((await post({ origin: "http://internal:3000" })).status).toBe(403);
    // …nor does a forwarded host.
    expect((await post({ origin: "https://evil.example", "x-forwarded-host": "evil.example" })).status).toBe(403);
    expect((await post({ origin: "http://daxboard.example.com" })).status).toBe(403);
    expect((await post({ origin: "https://daxboard.example.com" })).status).toBe(201);
    // Login from the bare Host is refused under a public URL as well.
    expect((await send(login, { body, headers: jsonFrom("http://daxboard.test") })).status).toBe(403);
  }, 60_000);

  it("without it, x-forwarded-host never stands in for the Host header", async () => {
    const res = await send(login, { body, headers: jsonFrom() });
    const cookie = `daxboard_session=${sessionCookieValue(res)}`;
    const forged = await send(createHost, {
      body: { ...HOST, name: "h2" },
      headers: {
        cookie,
        "content-type": "application/json",
        origin: "https://evil.example",
        "x-forwarded-host": "evil.example",
      },
    });
    expect(forged.status).toBe(403);
  }, 60_000);
});
