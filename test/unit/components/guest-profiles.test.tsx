import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GuestProfiles } from "@/components/settings/guest-profiles";
import type { ProfileView, ReassessRun } from "@/lib/client/dto";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness/guest-profile";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const profile = (over: Partial<ProfileView>): ProfileView => ({
  ...DEFAULT_GUEST_PROFILE,
  id: "default",
  name: "default",
  tags: [],
  position: 99,
  isDefault: true,
  hostCount: 20,
  updatedAt: "2026-12-01T10:00:00.000Z",
  updatedBy: null,
  configGaps: null,
  ...over,
});

const PROFILES = [
  profile({
    id: "p-inf",
    name: "inference",
    tags: ["inference", "gpu"],
    position: 0,
    isDefault: false,
    hostCount: 3,
    configGaps: { "virtiofs-dax": ["CONFIG_FUSE_DAX"], "pmem-dax": [], pmemRecommended: ["CONFIG_ARM64_PMEM"] },
  }),
  profile({ id: "p-ci", name: "ci", tags: ["ci"], position: 1, isDefault: false, hostCount: 1 }),
  profile({}),
];

const run = (over: Partial<ReassessRun>): ReassessRun => ({
  id: "run1",
  status: "running",
  reason: "guest profile default changed",
  total: 10,
  done: 3,
  verdictChanged: 0,
  createdAt: "2026-12-01T10:00:00.000Z",
  startedAt: "2026-12-01T10:00:01.000Z",
  finishedAt: null,
  error: null,
  ...over,
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

// The API as the contract describes it; each poll of the run answers with the next state in `runStates`.
function stubApi(opts: { activeRun?: ReassessRun | null; runStates?: ReassessRun[]; answer?: ReassessRun }) {
  const states = [...(opts.runStates ?? [])];
  const calls: Array<{ url: string; method: string; body: unknown }> = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : null });
      if (url.startsWith("/api/settings/reassess-runs/")) return json(states.length > 1 ? states.shift() : states[0]);
      if (method === "GET") return json({ profiles: PROFILES, activeRun: opts.activeRun ?? null });
      if (method === "POST") return json({ profile: PROFILES[0], run: opts.answer }, 201);
      return json({ profile: PROFILES[2], run: opts.answer });
    }),
  );
  return calls;
}

function renderProfiles(canEdit: boolean) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <GuestProfiles canEdit={canEdit} />
    </QueryClientProvider>,
  );
}

describe("GuestProfiles", () => {
  it("lists the tag profiles in order, then the default, each with its host count", async () => {
    stubApi({});
    renderProfiles(true);
    const items = await screen.findAllByRole("listitem");
    const rows = items.filter((li) => li.dataset.testid?.startsWith("profile-"));
    expect(rows.map((r) => r.dataset.testid)).toEqual(["profile-inference", "profile-ci", "profile-default"]);
    expect(within(rows[0]).getByTestId("host-count").textContent).toBe("3 hosts");
    expect(within(rows[1]).getByTestId("host-count").textContent).toBe("1 host");
    expect(within(rows[0]).getByLabelText("Tags of inference").textContent).toBe("inferencegpu");
    expect(within(rows[2]).queryByRole("button", { name: /Move/ })).toBeNull();
    expect(within(rows[2]).queryByRole("button", { name: /Delete/ })).toBeNull();
  });

  it("says per path what each profile's guest .config lacks, or that none is uploaded", async () => {
    stubApi({});
    renderProfiles(false);
    const inference = await screen.findByTestId("profile-inference");
    const gaps = within(inference).getByTestId("config-gaps");
    expect(gaps.querySelector('[data-path="virtiofs-dax"]')?.textContent).toBe(
      "virtio-fs DAX: ✗ lacks CONFIG_FUSE_DAX",
    );
    expect(gaps.querySelector('[data-path="pmem-dax"]')?.textContent).toContain("✓ every option it needs is set");
    expect(gaps.textContent).toContain("recommended for virtio-pmem on arm64: CONFIG_ARM64_PMEM");
    const fallback = within(screen.getByTestId("profile-default")).getByTestId("config-gaps");
    expect(fallback.textContent).toContain("No guest .config uploaded");
  });

  it("follows the active run found on load until it succeeds: done / total, then the outcome", async () => {
    stubApi({
      activeRun: run({ done: 3 }),
      runStates: [
        run({ done: 7 }),
        run({ status: "succeeded", done: 10, verdictChanged: 2, finishedAt: "2026-12-01T10:00:09.000Z" }),
      ],
    });
    renderProfiles(false);
    expect((await screen.findByTestId("reassess-count")).textContent).toMatch(/Re-assessing: (3|7) \/ 10 hosts/);
    const bar = screen.getByRole("progressbar", { name: "Re-assessment progress" });
    expect(bar.getAttribute("max")).toBe("10");
    await waitFor(() => expect(screen.getByTestId("reassess-run").dataset.status).toBe("succeeded"), {
      timeout: 5_000,
    });
    expect(screen.getByRole("status").textContent).toBe(
      "Re-assessed 10 hosts from their stored facts, without rescanning; 2 hosts changed verdict.",
    );
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("an admin saves the default profile with the new pmem fields and sees the queued run progress", async () => {
    const user = userEvent.setup();
    const queued = run({ id: "run2", status: "queued", total: null, done: 0, startedAt: null });
    const calls = stubApi({
      answer: queued,
      runStates: [queued, run({ id: "run2", total: 4, done: 1 }), run({ id: "run2", status: "failed", error: "boom" })],
    });
    renderProfiles(true);
    await user.click(await screen.findByRole("button", { name: "Edit default" }));
    const form = screen.getByRole("form", { name: "Guest profile default" });
    await user.selectOptions(within(form).getByLabelText("DAX filesystem on the pmem image"), "ext4");
    await user.type(within(form).getByLabelText("pmem image size (MiB)"), "512");
    await user.click(within(form).getByLabelText(/Guest kernel carries the fs\/dax fix/));
    await user.click(within(form).getByRole("button", { name: "Save guest profile" }));

    expect(await screen.findByText("Re-assessment queued…")).toBeTruthy();
    const put = calls.find((c) => c.method === "PUT")!;
    expect(put.url).toBe("/api/settings/guest-profiles/default");
    expect(put.body).toMatchObject({
      name: "default",
      tags: [],
      fsType: "ext4",
      imageSizeMiB: 512,
      daxFixBackported: true,
      ksmRiskAccepted: false,
    });
    expect(screen.queryByRole("form", { name: "Guest profile default" })).toBeNull();
    await waitFor(() => expect(screen.getByTestId("reassess-count").textContent).toBe("Re-assessing: 1 / 4 hosts"), {
      timeout: 3_000,
    });
    expect(await screen.findByRole("alert", {}, { timeout: 5_000 })).toHaveProperty(
      "textContent",
      "Re-assessment failed: boom.",
    );
  });

  it("moves a tag profile down by sending every non-default id in the new order", async () => {
    const user = userEvent.setup();
    const calls = stubApi({
      answer: run({ id: "run3", status: "queued", total: null, done: 0 }),
      runStates: [run({ id: "run3" })],
    });
    renderProfiles(true);
    expect((await screen.findByRole("button", { name: "Move inference up" })).hasAttribute("disabled")).toBe(true);
    expect(screen.getByRole("button", { name: "Move ci down" }).hasAttribute("disabled")).toBe(true);
    await user.click(screen.getByRole("button", { name: "Move inference down" }));
    await waitFor(() => expect(calls.some((c) => c.url.endsWith("/order"))).toBe(true));
    expect(calls.find((c) => c.url.endsWith("/order"))!.body).toEqual({ ids: ["p-ci", "p-inf"] });
  });

  it("creates a tag profile with its name and tags", async () => {
    const user = userEvent.setup();
    const calls = stubApi({
      answer: run({ id: "run4", status: "queued", total: null }),
      runStates: [run({ id: "run4" })],
    });
    renderProfiles(true);
    await user.click(await screen.findByRole("button", { name: "New tag profile" }));
    const form = screen.getByRole("form", { name: "New guest profile" });
    await user.type(within(form).getByLabelText("Profile name"), "batch");
    await user.type(within(form).getByLabelText("Host tags"), "batch, nightly");
    await user.click(within(form).getByRole("button", { name: "Create guest profile" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")!.body).toMatchObject({ name: "batch", tags: ["batch", "nightly"] });
  });

  it("a viewer reads a profile but cannot change, move, delete or create one", async () => {
    const user = userEvent.setup();
    stubApi({});
    renderProfiles(false);
    await user.click(await screen.findByRole("button", { name: "Details inference" }));
    const form = screen.getByRole("form", { name: "Guest profile inference" });
    expect((within(form).getByLabelText("Host tags") as HTMLInputElement).value).toBe("inference gpu");
    expect(within(form).getByRole("group").hasAttribute("disabled")).toBe(true);
    expect(within(form).queryByRole("button", { name: /Save/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Move|Delete|New tag profile/ })).toBeNull();
    expect(screen.queryByLabelText("Upload guest kernel .config")).toBeNull();
  });
});
