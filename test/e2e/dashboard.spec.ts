import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { generateKeyPair, startSimHost, type SimHost } from "../support/sim-fleet";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";

// The dashboard end to end (issue 6): simulated arm64 hosts (real ssh2 servers in this process) are imported,
// scanned by the app's workers, filtered, read, rescanned, re-trusted and exported, in a real Chromium.
// Independent of foundation.spec.ts: every name carries this run's id, and the users are made if missing.

const RUN = Date.now().toString(36);
const TAG = `e2e-${RUN}`;
const ADMIN = { displayName: "Ada Admin", email: "ada@example.com", password: "ada's long password" };
const VIEWER = { displayName: "Dash Viewer", email: `viewer-${RUN}@example.com`, password: "a viewer's long password" };
const SCREENSHOTS = path.resolve("test-results/screenshots");
const clientKey = generateKeyPair();

// Demo-fleet machines with known verdicts: legacy pair (ready-with-warnings), modern CH (platform-ready),
// Raspberry Pi 4 (not-ready: GICv2) and one whose host key changes after the first scan.
const PROFILES = {
  ready: "altra-max-01",
  blocked: "altra-max-02",
  gicv2: "rpi4-01",
  rotating: "kunpeng920-01",
} as const;
type Role = keyof typeof PROFILES;

const hostName = (role: Role) => `${TAG}-${role}`;
const sims = {} as Record<Role, SimHost>;

test.describe.configure({ mode: "serial" });
test.setTimeout(120_000);

async function ensureAdmin(request: APIRequestContext, baseURL: string) {
  const headers = { origin: baseURL };
  const setup = await request.post("/api/auth/setup", { data: ADMIN, headers });
  if (setup.status() !== 201) {
    const login = await request.post("/api/auth/login", {
      data: { email: ADMIN.email, password: ADMIN.password },
      headers,
    });
    expect(login.status(), "log in as the admin created by setup").toBe(200);
  }
  const viewer = await request.post("/api/users", { data: { ...VIEWER, role: "viewer" }, headers });
  expect(viewer.status()).toBeLessThan(300);
}

async function login(page: Page, user: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Fleet readiness" })).toBeVisible();
}

async function openHost(page: Page, role: Role) {
  await page.goto(`/?tag=${TAG}`);
  await page.getByRole("link", { name: hostName(role), exact: true }).click();
  await expect(page.getByRole("heading", { name: hostName(role) })).toBeVisible();
}

async function asViewer(browser: Browser, baseURL: string, fn: (page: Page) => Promise<void>) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  try {
    await login(page, VIEWER);
    await fn(page);
  } finally {
    await context.close();
  }
}

test.beforeAll(async ({ playwright, baseURL }) => {
  for (const role of Object.keys(PROFILES) as Role[]) {
    const profile = DEMO_FLEET.find((p) => p.name === PROFILES[role])!;
    sims[role] = await startSimHost({
      respond: (token) => simulatedDocument(profile, token),
      authorizedKeys: [clientKey.publicKey],
      username: "daxboard",
      behaviour: role === "rotating" ? "rotate-host-key" : "normal",
    });
  }
  const request = await playwright.request.newContext({ baseURL });
  await ensureAdmin(request, baseURL!);
  await request.dispose();
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
});

test.afterAll(async () => {
  await Promise.all(Object.values(sims).map((s) => s.close()));
});

test.beforeEach(async ({ page }) => {
  await login(page, ADMIN);
});

test("bulk import previews valid and invalid rows and imports only the valid ones on confirm", async ({ page }) => {
  await page.getByRole("link", { name: "Import hosts" }).first().click();
  await page.getByRole("radio", { name: "CSV" }).check();
  const rows = (Object.keys(PROFILES) as Role[]).map(
    (role) => `${hostName(role)},127.0.0.1,${sims[role].port},daxboard,${TAG} ${role}`,
  );
  const csv = [
    "name,address,port,user,tags",
    ...rows,
    `${TAG}-bad-port,127.0.0.1,99999,,${TAG}`,
    `${TAG}-bad-address,"10.0.0.1; reboot",22,,${TAG}`,
  ].join("\n");
  await page.getByLabel("Inventory", { exact: true }).fill(csv);
  await page.getByLabel("Default SSH user").fill("daxboard");
  await page.getByRole("button", { name: "Preview" }).click();

  const preview = page.getByTestId("import-preview");
  await expect(page.getByTestId("import-counts")).toContainText("4 valid");
  await expect(page.getByTestId("import-counts")).toContainText("2 invalid");
  await expect(preview.locator("tr[data-valid=false]")).toHaveCount(2);
  await expect(preview.getByRole("row", { name: new RegExp(`${TAG}-bad-port`) })).toContainText("invalid (port)");
  await expect(preview.getByRole("row", { name: new RegExp(`${TAG}-bad-address`) })).toContainText("invalid (address)");
  // Nothing is written by the preview.
  expect((await (await page.request.get(`/api/hosts?tag=${TAG}`)).json()).total).toBe(0);

  await page.getByLabel("Batch private key", { exact: true }).fill(clientKey.privateKey);
  await page.getByRole("button", { name: "Import 4 valid hosts" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Imported" })).toContainText("4 created");
  expect((await (await page.request.get(`/api/hosts?tag=${TAG}`)).json()).total).toBe(4);
});

test("a bulk rescan from the table scans every selected host to its verdict", async ({ page }) => {
  await page.goto(`/?tag=${TAG}`);
  const table = page.getByTestId("fleet-table");
  await expect(table.locator("tbody tr")).toHaveCount(4);
  await expect(table.locator("[data-verdict=never]")).toHaveCount(4);
  await page.getByRole("checkbox", { name: "Select all hosts on this page" }).check();
  await page.getByRole("button", { name: "Rescan selected (4)" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Queued" })).toContainText("for 4 hosts");
  // Rows go live (queued/running) and settle without a reload.
  await expect(table.locator("[data-verdict=never]")).toHaveCount(0, { timeout: 60_000 });
  await expect(table.getByTestId("scan-state")).toHaveCount(0, { timeout: 30_000 });
  await expect(
    table.getByRole("row", { name: new RegExp(hostName("ready")) }).locator("[data-verdict]"),
  ).toHaveAttribute("data-verdict", "ready-with-warnings");
  await expect(
    table.getByRole("row", { name: new RegExp(hostName("blocked")) }).locator("[data-verdict]"),
  ).toHaveAttribute("data-verdict", "platform-ready");
  await expect(
    table.getByRole("row", { name: new RegExp(hostName("gicv2")) }).locator("[data-verdict]"),
  ).toHaveAttribute("data-verdict", "not-ready");
});

test("a verdict tile filters the table and the filter lives in the URL", async ({ page }) => {
  await page.goto(`/?tag=${TAG}`);
  const table = page.getByTestId("fleet-table");
  await expect(table.locator("tbody tr")).toHaveCount(4);
  await page.getByTestId("tile-platform-ready").click();
  await expect(page).toHaveURL(/verdict=platform-ready/);
  await expect(page.getByTestId("tile-platform-ready")).toHaveAttribute("aria-pressed", "true");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText(hostName("blocked"));
  await expect(page.getByRole("combobox", { name: "Verdict" })).toHaveValue("platform-ready");
  // The shared link reproduces the view.
  await page.goto(page.url());
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await page.getByRole("combobox", { name: "Verdict" }).selectOption("not-ready");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText(hostName("gicv2"));

  await page.goto(`/?tag=${TAG}`);
  await expect(page.getByRole("figure").first()).toBeVisible();
  await expect(table.locator("tbody tr")).toHaveCount(4);
  await page.screenshot({ path: path.join(SCREENSHOTS, "fleet.png"), fullPage: true });
});

test("a host page shows the verdict, grouped checks with evidence, and cache_size with its snippets", async ({
  page,
}) => {
  await openHost(page, "ready");
  await expect(page.getByTestId("verdict-banner")).toContainText("Ready with warnings — legacy DAX-capable stack");
  for (const group of ["platform", "stack", "guest"])
    await expect(page.getByTestId(`check-group-${group}`)).toBeVisible();
  const kvm = page.getByTestId("check-platform.kvm");
  await expect(kvm).toHaveAttribute("data-status", "PASS");
  await expect(kvm.getByRole("table")).toContainText("Probe section");
  const ch = page.getByTestId("check-stack.cloud-hypervisor");
  await expect(ch).toContainText("v22.1");
  await expect(ch.getByRole("link", { name: /Source/ })).toHaveAttribute("href", /^https:\/\//);

  const cache = page.getByTestId("cache-size");
  await expect(cache).toContainText("2G");
  await expect(cache).toContainText("dax=on,cache_size=2G");
  await expect(cache).toContainText("virtio_fs_cache_size = 2048");
  await expect(page.getByTestId("facts-table")).toContainText("IPA limit");
  await expect(page.getByTestId("guest-verification")).toContainText("dax=always");
  await expect(page.getByTestId("raw-output")).toContainText("daxboard-probe 1");
  await page.screenshot({ path: path.join(SCREENSHOTS, "host.png"), fullPage: true });

  await openHost(page, "blocked");
  await expect(page.getByTestId("verdict-banner")).toContainText(
    "Platform ready — DAX blocked by the VMM: Cloud Hypervisor v41.0.0 has no DAX (removed in v25.0)",
  );
  await expect(page.getByTestId("cache-size-label")).toContainText("For a DAX-capable VMM");
});

test("rescan shows queued at once and follows the scan to done", async ({ page }) => {
  await openHost(page, "blocked");
  const timeline = page.getByTestId("scan-timeline");
  await expect(timeline.locator("li[data-status=succeeded]")).toHaveCount(1);
  await page.getByRole("button", { name: "Rescan" }).click();
  await expect(page.getByTestId("scan-progress")).toHaveAttribute("data-status", /queued|running/);
  await expect(page.getByTestId("scan-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("scan-announcer")).toHaveText("Scan done");
  await expect(timeline.locator("li[data-status=succeeded]")).toHaveCount(2);
  await expect(page.getByRole("button", { name: "Rescan" })).toBeEnabled();
});

test("a changed host key: the scan fails with its class, a viewer cannot re-trust, an admin can", async ({
  page,
  browser,
  baseURL,
}) => {
  await openHost(page, "rotating");
  await page.getByRole("button", { name: "Rescan" }).click();
  const panel = page.getByTestId("host-key-retrust");
  await expect(panel).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("scan-progress")).toHaveAttribute("data-status", "failed");
  await expect(page.getByTestId("scan-error-detail").first()).toHaveAttribute("data-error-class", "host-key-mismatch");
  await expect(panel.getByTestId("old-fingerprint")).toHaveText(sims.rotating.hostKeyFingerprint);
  await expect(panel.getByTestId("new-fingerprint")).toContainText(sims.rotating.rotatedHostKeyFingerprint!);
  const hostUrl = page.url();
  const hostId = hostUrl.split("/hosts/")[1];

  await asViewer(browser, baseURL!, async (viewer) => {
    await viewer.goto(hostUrl);
    await expect(viewer.getByTestId("host-key-retrust")).toBeVisible();
    await expect(viewer.getByTestId("retrust-admin-only")).toBeVisible();
    await expect(viewer.getByRole("button", { name: "Trust the new host key" })).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: "Rescan" })).toHaveCount(0);
    const res = await viewer.request.post(`/api/hosts/${hostId}/host-key`, {
      data: { fingerprint: sims.rotating.rotatedHostKeyFingerprint },
      headers: { origin: baseURL! },
    });
    expect(res.status()).toBe(403);
  });

  const trust = panel.getByRole("button", { name: "Trust the new host key" });
  await expect(trust).toBeDisabled();
  await panel.getByLabel("I verified the new fingerprint on the host, out of band.").check();
  await trust.click();
  await expect(page.getByText("New host key trusted")).toBeVisible();
  await expect(page.getByTestId("pinned-fingerprint")).toHaveText(sims.rotating.rotatedHostKeyFingerprint!);
  await page.getByRole("button", { name: "Rescan" }).click();
  await expect(page.getByTestId("scan-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("host-key-retrust")).toHaveCount(0);
});

test("an admin changes the default guest profile and its hosts are re-assessed from stored facts, without a rescan", async ({
  page,
}) => {
  // The default profile covers these hosts (no tag profile names their tags); saving re-assesses them in the
  // background, and the page follows that run to its outcome.
  async function saveProfile(ramMiB: string, config: string | null) {
    await page.goto("/admin/settings");
    await page.getByRole("button", { name: "Edit default" }).click();
    await page.getByLabel("Guest RAM (MiB)").fill(ramMiB);
    if (config) {
      await page
        .getByLabel("Upload guest kernel .config")
        .setInputFiles({ name: "config", mimeType: "text/plain", buffer: Buffer.from(config) });
      await expect(page.getByTestId("kernel-config-state")).toContainText("Uploaded: 1 CONFIG_ lines");
    } else if (await page.getByRole("button", { name: "Remove .config" }).count()) {
      await page.getByRole("button", { name: "Remove .config" }).click();
    }
    await page.getByRole("button", { name: "Save guest profile" }).click();
    await expect(page.getByTestId("reassess-run")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
    await expect(page.getByRole("status").filter({ hasText: "re-assessed" })).toBeVisible();
  }

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Guest profiles" })).toBeVisible();
  await saveProfile("512", "CONFIG_VIRTIO_FS=y\n");
  await openHost(page, "ready");
  await expect(page.getByTestId("verdict-banner")).toHaveAttribute("data-verdict", "platform-ready");
  await expect(page.getByTestId("check-guest.kernel-config")).toHaveAttribute("data-status", "FAIL");
  await expect(page.getByTestId("check-guest.kernel-config")).toContainText("CONFIG_FUSE_DAX");
  await expect(page.getByTestId("cache-size")).toContainText("512M");
  await expect(page.getByTestId("scan-timeline").locator("li")).toHaveCount(1);

  await saveProfile("2048", null);
  await openHost(page, "ready");
  await expect(page.getByTestId("verdict-banner")).toHaveAttribute("data-verdict", "ready-with-warnings");
  await expect(page.getByTestId("cache-size")).toContainText("2G");
});

test("Export CSV downloads the current view, which parses as CSV", async ({ page }) => {
  await page.goto(`/?tag=${TAG}&verdict=not-ready,platform-ready`);
  await expect(page.getByTestId("fleet-table").locator("tbody tr")).toHaveCount(2);
  // Click once the page has settled, as a person would.
  await expect(page.getByRole("region", { name: "Fleet charts" })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const text = fs.readFileSync(await download.path(), "utf8");
  const records = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  expect(records.map((r) => r.name).sort()).toEqual([hostName("blocked"), hostName("gicv2")].sort());
  const blocked = records.find((r) => r.name === hostName("blocked"))!;
  expect(blocked.verdict).toBe("platform-ready");
  expect(blocked.tags).toContain(TAG);
});
