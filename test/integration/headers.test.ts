import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import nextConfig from "@/next.config";
import { config as proxyConfig, proxy } from "@/proxy";

const saved = process.env.DAXBOARD_PUBLIC_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.DAXBOARD_PUBLIC_URL;
  else process.env.DAXBOARD_PUBLIC_URL = saved;
});

const SESSION = { cookie: "daxboard_session=some-session-token" };

function request(path: string, headers: Record<string, string> = {}) {
  return proxy(new NextRequest(`http://127.0.0.1:3000${path}`, { headers }));
}

// "script-src 'self' 'nonce-…'" → { "script-src": ["'self'", "'nonce-…'"] }
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
}

function expectConstantHeaders(res: Response) {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("referrer-policy")).toBe("same-origin");
  const permissions = res.headers.get("permissions-policy") ?? "";
  for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) {
    expect(permissions).toContain(`${feature}=()`);
  }
}

describe("security headers from proxy.ts", () => {
  it("gives a page a strict nonce CSP, and hands the same nonce to rendering", () => {
    const res = request("/hosts", SESSION);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expectConstantHeaders(res);
    const csp = res.headers.get("content-security-policy")!;
    const d = directives(csp);
    const nonceSource = d["script-src"].find((s) => s.startsWith("'nonce-"))!;
    const nonce = nonceSource.slice("'nonce-".length, -1);
    expect(Buffer.from(nonce, "base64").length).toBeGreaterThanOrEqual(16);
    expect(d["script-src"]).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(d["default-src"]).toEqual(["'self'"]);
    expect(d["object-src"]).toEqual(["'none'"]);
    expect(d["base-uri"]).toEqual(["'self'"]);
    expect(d["frame-ancestors"]).toEqual(["'none'"]);
    expect(d["form-action"]).toEqual(["'self'"]);
    expect(d["connect-src"]).toEqual(["'self'"]);
    expect(csp).not.toContain("unsafe-eval");
    expect(d["upgrade-insecure-requests"]).toBeUndefined();
    // Next.js reads the nonce from the request's CSP header; the root layout reads x-nonce.
    expect(res.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(res.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });

  it("makes a fresh nonce for every page request", () => {
    const nonces = Array.from({ length: 50 }, () => request("/", SESSION).headers.get("x-middleware-request-x-nonce"));
    expect(new Set(nonces).size).toBe(50);
  });

  it("sends HSTS and upgrades insecure requests only when the public URL is https", () => {
    process.env.DAXBOARD_PUBLIC_URL = "https://daxboard.example.com";
    for (const res of [request("/hosts", SESSION), request("/api/hosts"), request("/login")]) {
      expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    }
    expect(directives(request("/", SESSION).headers.get("content-security-policy")!)).toHaveProperty(
      "upgrade-insecure-requests",
    );

    process.env.DAXBOARD_PUBLIC_URL = "http://daxboard.internal:3000";
    expect(request("/hosts", SESSION).headers.get("strict-transport-security")).toBeNull();
    expect(request("/api/hosts").headers.get("strict-transport-security")).toBeNull();
  });

  it("gives API responses and the probe script every header but the CSP, and no login redirect", () => {
    for (const path of ["/api/hosts", "/api/health", "/api/auth/login", "/probe.sh"]) {
      const res = request(path);
      expect(res.headers.get("x-middleware-next"), path).toBe("1");
      expect(res.headers.get("location"), path).toBeNull();
      expectConstantHeaders(res);
      expect(res.headers.get("content-security-policy"), path).toBeNull();
    }
  });

  it("redirects a page without a session to the login page, with the headers", () => {
    const res = request("/hosts/abc?tab=facts");
    expect(res.status).toBe(307);
    expect(new URL(res.headers.get("location")!).pathname).toBe("/login");
    expect(new URL(res.headers.get("location")!).searchParams.get("next")).toBe("/hosts/abc?tab=facts");
    expectConstantHeaders(res);
    expect(directives(res.headers.get("content-security-policy")!)["frame-ancestors"]).toEqual(["'none'"]);

    const login = request("/login");
    expect(login.headers.get("x-middleware-next")).toBe("1");
    expect(login.headers.get("content-security-policy")).toContain("'strict-dynamic'");
  });

  it("accepts the __Host- session cookie used under an https public URL", () => {
    const res = request("/hosts", { cookie: "__Host-daxboard_session=some-session-token" });
    expect(res.headers.get("x-middleware-next")).toBe("1");
  });

  it("runs on every path but the build's static files, and next.config covers those", async () => {
    const matcher = new RegExp(`^${proxyConfig.matcher[0]}$`);
    for (const path of ["/", "/login", "/hosts/abc", "/api/hosts", "/api/health", "/probe.sh"]) {
      expect(matcher.test(path), path).toBe(true);
    }
    for (const path of ["/_next/static/chunks/app.js", "/favicon.ico"]) expect(matcher.test(path), path).toBe(false);

    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*")!;
    const names = all.headers.map((h) => h.key.toLowerCase());
    expect(names).toEqual(
      expect.arrayContaining(["x-content-type-options", "x-frame-options", "referrer-policy", "permissions-policy"]),
    );
    expect(names).not.toContain("content-security-policy");
  });
});
