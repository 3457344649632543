import { expect, test, type Browser, type Page } from "@playwright/test";

// Single sign-on at the test IdP (test/e2e/sso-idp.ts, started by playwright.config.ts). Its sign-in page takes any
// username and the groups the account is in from then on; the app maps daxboard-admins to admin,
// daxboard-ops to operator and anyone else to viewer (DAXBOARD_OIDC_ROLE_MAP in the config).
test.describe.configure({ mode: "serial" });

// A fresh browser each time: no IdP session, so the IdP asks again and hands over the groups typed now.
async function signInWithIdp(browser: Browser, username: string, groups: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Groups").fill(groups);
  await page.getByRole("button", { name: "Sign in at the IdP" }).click();
  return page;
}

test("a member of daxboard-admins signs in at the IdP and lands on the fleet page as admin", async ({ browser }) => {
  const page = await signInWithIdp(browser, "sso-ada", "staff,daxboard-admins");
  await expect(page.getByRole("heading", { name: "Fleet readiness" })).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("role")).toHaveText("admin");
  await expect(page.getByRole("link", { name: "Users" })).toBeVisible();
  await page.context().close();
});

test("taken out of the admin group, the same user is a viewer at the next sign-in", async ({ browser }) => {
  const page = await signInWithIdp(browser, "sso-ada", "staff");
  await expect(page.getByRole("heading", { name: "Fleet readiness" })).toBeVisible();
  await expect(page.getByTestId("role")).toHaveText("viewer");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Register host" })).toHaveCount(0);
  await page.context().close();
});

test("a member of daxboard-ops is an operator", async ({ browser }) => {
  const page = await signInWithIdp(browser, "sso-otto", "daxboard-ops");
  await expect(page.getByTestId("role")).toHaveText("operator");
  await expect(page.getByRole("link", { name: "Register host" })).toBeVisible();
  await page.context().close();
});

test("an answer with another state is refused with a readable message, and no session", async ({ browser }) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
  // What a forged or replayed redirect back to DAXboard looks like: this browser's flow cookie, a foreign state.
  await page.goto("/api/auth/oidc/callback?code=forged-code&state=forged-state");
  await expect(page).toHaveURL(/\/login\?sso_error=state$/);
  await expect(page.getByText("did not belong to the sign-in this browser started")).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.context().close();
});
