import { expect, test } from "@playwright/test";

// Issue 12 item 7 in a real browser: the first page a visitor gets (the login page, or setup before any user
// exists) carries the nonce CSP from proxy.ts, and runs under it: Next's scripts hydrate the form and the inline
// theme script applies dark mode, with no CSP violation reported. Creates nothing, so it runs in any order.

test.use({ colorScheme: "dark" });

test("the login page carries a nonce CSP and runs under it without violations", async ({ page }) => {
  const consoleViolations: string[] = [];
  page.on("console", (msg) => {
    if (/content security policy/i.test(msg.text())) consoleViolations.push(msg.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });

  const res = await page.goto("/login");
  expect(res?.status()).toBe(200);
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(res?.headers()["permissions-policy"]).toContain("camera=()");

  // React owns the submit button only once Next's nonce-stamped scripts have run and hydrated the page.
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const button = document.querySelector("button[type=submit]");
          return !!button && Object.keys(button).some((key) => key.startsWith("__react"));
        }),
      { timeout: 30_000 },
    )
    .toBe(true);
  // The inline theme script carries the nonce too: under a dark preference it marks <html> before paint.
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);

  expect(consoleViolations).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
});
