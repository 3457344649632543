import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test, type Page } from "@playwright/test";
import { generateKeyPair } from "../support/sim-keys";

const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "ada's long password" };
const VIEWER = { email: "vic@example.com", password: "vic's long password" };
const KEY = generateKeyPair().privateKey;
const KEY_BODY_LINE = KEY.split("\n")[1];
// The app (playwright.config.ts webServer, cwd = the repository) keeps its one-time setup code in its data directory,
// as it prints it on its console; the operator would copy it from there.
const REPO = fileURLToPath(new URL("../..", import.meta.url));
const SETUP_CODE_FILE = path.resolve(REPO, process.env.DAXBOARD_E2E_DATA_DIR ?? "test-results/e2e-data", "setup-code");

test.describe.configure({ mode: "serial" });

async function login(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Fleet readiness" })).toBeVisible();
}

test("first run: setup creates the admin, who sees the empty fleet", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Setup code").fill(fs.readFileSync(SETUP_CODE_FILE, "utf8").trim());
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create the admin account" }).click();
  await expect(page.getByTestId("empty-fleet")).toContainText("No hosts yet");
  // Setup is gone once a user exists.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$/);
});

test("an admin registers a host with inline validation and sees it listed, with no secret in the page", async ({
  page,
}) => {
  await login(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Register host" }).click();
  await page.getByLabel("Name").fill("altra-rack3-07");
  await page.getByLabel("SSH user").fill("daxboard");
  await page.getByLabel("Address").fill("10.0.3.7; reboot");
  await page.getByLabel("Private key", { exact: true }).fill(KEY);
  await page.getByLabel("Tags").fill("rack3 altra");
  await page.getByRole("button", { name: "Register host" }).click();
  await expect(page.getByText("shell metacharacters are not allowed")).toBeVisible();
  await page.getByLabel("Address").fill("10.0.3.7");
  await page.getByRole("button", { name: "Register host" }).click();
  await expect(page.getByRole("heading", { name: "altra-rack3-07" })).toBeVisible();
  await expect(page.getByText("private key (encrypted at rest)")).toBeVisible();
  expect(await page.content()).not.toContain(KEY_BODY_LINE);

  await page.getByRole("link", { name: "Fleet" }).first().click();
  const row = page.getByRole("row", { name: /altra-rack3-07/ });
  await expect(row).toContainText("daxboard@10.0.3.7");
  await expect(row).toContainText("never scanned");
  expect(await page.content()).not.toContain(KEY_BODY_LINE);
  const api = await page.request.get("/api/hosts");
  expect(api.status()).toBe(200);
  const text = await api.text();
  expect(text).toContain("altra-rack3-07");
  expect(text).not.toContain(KEY_BODY_LINE);
  expect(text).not.toContain("PRIVATE KEY");
});

test("an admin adds a viewer, who can read but cannot register", async ({ page }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Users" }).click();
  await page.getByLabel("Email").fill(VIEWER.email);
  await page.getByLabel("Display name").fill("Vic");
  await page.getByLabel("Initial password").fill(VIEWER.password);
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByRole("cell", { name: VIEWER.email })).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);

  await login(page, VIEWER.email, VIEWER.password);
  await expect(page.getByTestId("role")).toHaveText("viewer");
  await expect(page.getByRole("link", { name: "Register host" })).toHaveCount(0);
  await expect(page.getByRole("row", { name: /altra-rack3-07/ })).toBeVisible();
  await page.goto("/hosts/new");
  await expect(page).not.toHaveURL(/\/hosts\/new/);
  const res = await page.request.post("/api/hosts", {
    data: { name: "sneaky", address: "10.0.0.9", username: "u", auth: { type: "agent" } },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe("forbidden");
});

test("an API token issued in the UI works until it is revoked", async ({ page, playwright, baseURL }) => {
  await login(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name").fill("ci-scanner");
  await page.getByRole("button", { name: "Issue token" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^dxb_/);

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const ok = await api.get("/api/hosts");
  expect(ok.status()).toBe(200);
  expect((await ok.json()).total).toBe(1);

  await page.getByRole("button", { name: "Revoke ci-scanner" }).click();
  await expect(page.getByText("revoked")).toBeVisible();
  const refused = await api.get("/api/hosts");
  expect(refused.status()).toBe(401);
  await api.dispose();
});

test("a metrics-only token issued in the UI reads the metrics and nothing else", async ({
  page,
  playwright,
  baseURL,
}) => {
  await login(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "API tokens" }).click();
  await page.getByLabel("Name").fill("prometheus");
  await page.getByLabel("Access").selectOption("metrics");
  await expect(page.getByLabel("Role")).toBeDisabled();
  await page.getByRole("button", { name: "Issue token" }).click();
  const token = (await page.getByTestId("new-token").textContent())?.trim() ?? "";
  expect(token).toMatch(/^dxb_/);
  await expect(page.getByRole("row", { name: /prometheus/ })).toContainText("metrics only");

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const metrics = await api.get("/api/metrics");
  expect(metrics.status()).toBe(200);
  expect(await metrics.text()).toMatch(/^daxboard_hosts\{verdict="never"\} /m);
  const hosts = await api.get("/api/hosts");
  expect(hosts.status()).toBe(403);
  expect((await hosts.json()).error.code).toBe("forbidden");
  await api.dispose();
});
