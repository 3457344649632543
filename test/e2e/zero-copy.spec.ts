import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { expect, test, type APIRequestContext, type Locator, type Page } from "@playwright/test";
import { DEFAULT_GUEST_PROFILE } from "../../lib/readiness/guest-profile";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { zeroCopySections, type ZeroCopyOptions } from "../support/zero-copy-sections";

// Zero-copy paths end to end (issue 13): hosts imported from probe documents (a real capture plus synthetic stack
// and zero-copy sections) show their paths on the host page, filter the fleet by best path, and export them.
// Independent of the other specs: every name carries this run's id, and the admin is made if missing.

const RUN = Date.now().toString(36);
const TAG = `zc-${RUN}`;
const ADMIN = { displayName: "Ada Admin", email: "ada@example.com", password: "ada's long password" };
const TOKEN = `zc${RUN}tok`;

// altra-max-02 is an Ampere Altra Max capture with CH v41.0.0, KVM usable and GICv3: virtio-fs DAX is blocked.
// With --pmem (and discard_writes) its best path is virtio-pmem; without, KSM (on, run=1); the Raspberry Pi 4
// capture has a GICv2, which blocks every path.
const HOSTS = {
  pmem: {
    capture: "altra-max-02",
    zeroCopy: {
      chPmem: true,
      discardWrites: true,
      mergeable: true,
      ksm: { run: 0 },
      ksmConfig: "y",
      kata: "absent",
      vmms: [],
    },
    bestPath: "pmem-dax",
  },
  ksm: {
    capture: "altra-max-02",
    zeroCopy: {
      chPmem: false,
      mergeable: true,
      ksm: { run: 1, pagesSharing: 4821, pagesShared: 512 },
      ksmConfig: "y",
      kata: "absent",
      vmms: [],
    },
    bestPath: "ksm",
  },
  none: {
    capture: "rpi4-01",
    zeroCopy: { chPmem: true, mergeable: true, ksm: { run: 1 }, ksmConfig: "y", kata: "absent", vmms: [] },
    bestPath: null,
  },
} satisfies Record<string, { capture: string; zeroCopy: ZeroCopyOptions; bestPath: string | null }>;
type Role = keyof typeof HOSTS;

const hostName = (role: Role) => `${TAG}-${role}`;
const hostIds = {} as Record<Role, string>;

// The demo host's document with the zero-copy sections added before the end marker and named as synthetic.
function documentFor(role: Role): string {
  const profile = DEMO_FLEET.find((p) => p.name === HOSTS[role].capture)!;
  const extra = zeroCopySections(HOSTS[role].zeroCopy);
  const names = extra.map((s) => s.name).join(" ");
  return simulatedDocument(profile, TOKEN)
    .replace(/(x-synthetic rc=0\nsynthetic, not captured: [^\n]*)/, `$1 ${names}`)
    .replace(
      `--${TOKEN}--\n`,
      `${extra.map((s) => `--${TOKEN} ${s.name} rc=${s.rc}\n${s.body}\n`).join("")}--${TOKEN}--\n`,
    );
}

test.describe.configure({ mode: "serial" });
// The copy buttons write to the clipboard, which the test reads back.
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

async function loginApi(request: APIRequestContext, baseURL: string) {
  const headers = { origin: baseURL };
  const setup = await request.post("/api/auth/setup", { data: ADMIN, headers });
  if (setup.status() !== 201) {
    const login = await request.post("/api/auth/login", {
      data: { email: ADMIN.email, password: ADMIN.password },
      headers,
    });
    expect(login.status(), "log in as the admin created by setup").toBe(200);
  }
}

async function login(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Fleet readiness" })).toBeVisible();
}

test.beforeAll(async ({ playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: baseURL! } });
  await loginApi(request, baseURL!);
  // A tag profile of its own, so other specs' changes to the default profile do not move these verdicts.
  const profile = await request.post("/api/settings/guest-profiles", {
    data: { ...DEFAULT_GUEST_PROFILE, name: `zero copy ${RUN}`, tags: [TAG] },
  });
  expect(profile.status(), await profile.text()).toBe(201);
  for (const [i, role] of (Object.keys(HOSTS) as Role[]).entries()) {
    // Never connected to: the documents are imported, as for a host scanned by hand.
    const created = await request.post("/api/hosts", {
      data: {
        name: hostName(role),
        address: "127.0.0.1",
        port: 2201 + i,
        username: "daxboard",
        auth: { type: "agent" },
        tags: [TAG],
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    hostIds[role] = (await created.json()).host.id;
    const imported = await request.post(`/api/hosts/${hostIds[role]}/probe-output`, {
      data: { output: documentFor(role) },
    });
    expect(imported.status(), await imported.text()).toBe(201);
  }
  const list = await (await request.get(`/api/hosts?tag=${TAG}&pageSize=25`)).json();
  for (const role of Object.keys(HOSTS) as Role[])
    expect(list.hosts.find((h: { id: string }) => h.id === hostIds[role]).bestPath, role).toBe(HOSTS[role].bestPath);
  await request.dispose();
});

const toggleOf = (row: Locator, id: string) => row.locator(`button[aria-controls="path-body-${id}"]`);
const tileCount = (page: Page, key: string) => page.getByTestId(`best-path-tile-${key}`).locator("span").first();

test.beforeEach(async ({ page }) => {
  await login(page);
});

test("the host page shows a ready virtio-pmem path as best and copies its configuration", async ({ page }) => {
  await page.goto(`/hosts/${hostIds.pmem}`);
  await expect(page.getByRole("heading", { name: hostName("pmem") })).toBeVisible();
  const panel = page.getByRole("region", { name: "Zero-copy paths" });
  await expect(panel.getByTestId("best-path")).toHaveAttribute("data-best-path", "pmem-dax");
  await expect(panel.getByTestId("best-path")).toContainText("Best path: virtio-pmem + DAX fs");
  await expect(panel.getByTestId("paths-guest-profile")).toContainText(`zero copy ${RUN}`);

  const pmem = panel.getByTestId("path-pmem-dax");
  await expect(pmem).toHaveAttribute("data-verdict", "ready");
  await expect(pmem).toHaveAttribute("data-best", "true");
  await expect(toggleOf(pmem, "pmem-dax")).toHaveAttribute("aria-expanded", "true");
  const hostBlock = pmem.getByTestId("path-config-pmem-dax-host");
  await expect(hostBlock).toContainText("--pmem file=");
  await expect(hostBlock).toContainText("discard_writes=on");
  await expect(hostBlock).toContainText("mkfs.erofs");
  await expect(pmem.getByTestId("path-config-pmem-dax-guest")).toContainText("mount -t erofs -o ro,dax=always");

  await hostBlock.getByRole("button", { name: /^Copy the host commands/ }).click();
  await expect(hostBlock.getByText("Copied")).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await hostBlock.locator("code").innerText());
  expect(copied.split("\n").some((l) => /^cloud-hypervisor .*--pmem file=\S+,discard_writes=on/.test(l))).toBe(true);

  // The blocked virtio-fs DAX row opens from the keyboard and names what blocks it, with its source.
  const dax = panel.getByTestId("path-virtiofs-dax");
  await expect(dax).toHaveAttribute("data-verdict", "blocked");
  const toggle = toggleOf(dax, "virtiofs-dax");
  await expect(toggle).toHaveAttribute("aria-expanded", "false");
  await toggle.focus();
  await page.keyboard.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  const blocking = dax.getByRole("region", { name: "What blocks it" });
  const ch = blocking.getByTestId("path-check-virtiofs-dax-stack.cloud-hypervisor");
  await expect(ch).toHaveAttribute("data-status", "FAIL");
  await expect(ch).toContainText("v41.0.0");
  await expect(ch.getByRole("link", { name: /Source/ })).toHaveAttribute("href", /^https:\/\//);
  // The checks card still shows its own copy of rule 10, once.
  await expect(page.getByTestId("check-stack.cloud-hypervisor")).toHaveCount(1);
});

test("the best-path tiles and filter narrow the fleet, in the URL", async ({ page }) => {
  await page.goto(`/?tag=${TAG}`);
  const table = page.getByTestId("fleet-table");
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(tileCount(page, "pmem-dax")).toHaveText("1");
  await expect(tileCount(page, "ksm")).toHaveText("1");
  await expect(tileCount(page, "none")).toHaveText("1");
  await expect(tileCount(page, "virtiofs-dax")).toHaveText("0");
  await expect(page.getByRole("figure").filter({ hasText: "Best zero-copy path" })).toBeVisible();

  await page.getByTestId("best-path-tile-pmem-dax").click();
  await expect(page).toHaveURL(/bestPath=pmem-dax/);
  await expect(page.getByTestId("best-path-tile-pmem-dax")).toHaveAttribute("aria-pressed", "true");
  await expect(table.locator("tbody tr")).toHaveCount(1);
  const row = table.getByRole("row", { name: new RegExp(hostName("pmem")) });
  await expect(row.locator("[data-best-path]")).toHaveAttribute("data-best-path", "pmem-dax");
  await expect(page.getByRole("combobox", { name: "Best path" })).toHaveValue("pmem-dax");
  // Tiles ignore their own filter: the other counts stay.
  await expect(tileCount(page, "ksm")).toHaveText("1");

  await page.getByRole("combobox", { name: "Best path" }).selectOption("none");
  await expect(page).toHaveURL(/bestPath=none/);
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText(hostName("none"));

  // The shared link reproduces the view, and the column sorts.
  await page.goto(`/?tag=${TAG}&bestPath=ksm,pmem-dax`);
  await expect(table.locator("tbody tr")).toHaveCount(2);
  await page.getByRole("button", { name: "Best path", exact: true }).click();
  await expect(page).toHaveURL(/sort=bestPath/);
  await expect(table.locator("tbody tr")).toHaveCount(2);
});

test("the CSV export carries the best path and one column per core path verdict", async ({ page }) => {
  await page.goto(`/?tag=${TAG}`);
  await expect(page.getByTestId("fleet-table").locator("tbody tr")).toHaveCount(3);
  // Click once the page has settled, as a person would.
  await expect(page.getByRole("region", { name: "Fleet charts" })).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export CSV" }).click(),
  ]);
  const text = fs.readFileSync(await download.path(), "utf8");
  const records = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  const header = Object.keys(records[0]);
  expect(header.slice(header.indexOf("verdict"), header.indexOf("verdict") + 5)).toEqual([
    "verdict",
    "best_path",
    "path_virtiofs_dax",
    "path_pmem_dax",
    "path_ksm",
  ]);
  const byName = (role: Role) => records.find((r) => r.name === hostName(role))!;
  expect(byName("pmem")).toMatchObject({ best_path: "pmem-dax", path_virtiofs_dax: "blocked", path_pmem_dax: "ready" });
  expect(byName("ksm")).toMatchObject({ best_path: "ksm", path_pmem_dax: "blocked", path_ksm: "ready-with-warnings" });
  expect(byName("none")).toMatchObject({ best_path: "none", verdict: "not-ready", path_ksm: "blocked" });
});

test("the table and its toolbar stay put while the fleet summary and charts load", async ({ page }) => {
  // Hold the real summary answer back until the first layout is measured, then let it through.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/fleet/summary**", async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/?tag=${TAG}`);
  const table = page.getByTestId("fleet-table");
  const exportLink = page.getByRole("link", { name: "Export CSV" });
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(page.getByTestId("charts-loading")).toBeVisible();
  const before = await exportLink.boundingBox();
  release();
  await expect(page.getByRole("region", { name: "Fleet charts" })).toBeVisible();
  await expect(page.getByTestId("charts-loading")).toHaveCount(0);
  const after = await exportLink.boundingBox();
  expect(before).not.toBeNull();
  expect(after?.y).toBe(before?.y);
});
