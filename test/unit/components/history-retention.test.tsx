import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HistoryRetention } from "@/components/settings/history-retention";
import type { HistoryOverview } from "@/components/settings/history-queries";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const OVERVIEW: HistoryOverview = {
  policy: { keepScans: 20, keepDays: 30 },
  stats: {
    databaseBytes: 3 * 1024 ** 3,
    scanTableBytes: 2.5 * 1024 ** 3,
    scans: 245_120,
    driftScans: 312,
    rawOutputBytes: 1.5 * 1024 ** 3,
    oldestScanAt: "2026-06-01T08:00:00.000Z",
  },
  lastPrune: { at: "2026-12-06T09:07:00.000Z", deletedScans: 1200 },
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

// The API as the routes answer it; `afterPrune` is the overview once a prune has run.
function stubApi(opts: { putError?: { field: string; message: string }; afterPrune?: HistoryOverview } = {}) {
  const calls: Array<{ url: string; method: string; body: unknown }> = [];
  let pruned = false;
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : null });
      if (url === "/api/settings" && opts.putError)
        return json({ error: { code: "invalid_input", ...opts.putError } }, 422);
      if (url === "/api/settings") return json({ settings: {} });
      if (url === "/api/settings/history/prune") {
        pruned = true;
        return json({ queued: true, jobId: "j1" }, 202);
      }
      return json(pruned && opts.afterPrune ? opts.afterPrune : OVERVIEW);
    }),
  );
  return calls;
}

function renderSection() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <HistoryRetention />
    </QueryClientProvider>,
  );
}

describe("HistoryRetention", () => {
  it("shows the database size and the history it holds", async () => {
    stubApi();
    renderSection();
    const sizes = await screen.findByLabelText("History size");
    const text = sizes.textContent ?? "";
    expect(text).toContain("Database size3 GiB");
    expect(text).toContain("245,120 scans (312 with drift)");
    expect(text).toContain("Raw probe output1.5 GiB");
    expect(text).toContain("Scan table on disk2.5 GiB");
    expect(text).toContain("Oldest scan2026-06-01 08:00:00 UTC");
    expect(screen.getByText("Last prune 2026-12-06 09:07:00 UTC: 1,200 scans deleted.")).toBeTruthy();
    expect((screen.getByLabelText("Keep the last scans per host") as HTMLInputElement).value).toBe("20");
    expect((screen.getByLabelText("Keep every scan younger than (days)") as HTMLInputElement).value).toBe("30");
  });

  it("saves the policy through PUT /api/settings", async () => {
    const calls = stubApi();
    renderSection();
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "History retention" });
    await user.clear(within(form).getByLabelText("Keep the last scans per host"));
    await user.type(within(form).getByLabelText("Keep the last scans per host"), "50");
    await user.clear(within(form).getByLabelText("Keep every scan younger than (days)"));
    await user.type(within(form).getByLabelText("Keep every scan younger than (days)"), "7");
    await user.click(within(form).getByRole("button", { name: "Save retention" }));
    expect(await screen.findByText("Saved. The next prune applies it.")).toBeTruthy();
    expect(calls.filter((c) => c.method === "PUT")).toEqual([
      { url: "/api/settings", method: "PUT", body: { historyKeepScans: 50, historyKeepDays: 7 } },
    ]);
  });

  // The inputs' own min/max stop most bad values in the browser; whatever the server still refuses shows here.
  it("shows a value the server refused under its field", async () => {
    stubApi({ putError: { field: "historyKeepScans", message: "historyKeepScans: keep at least 1 scan per host" } });
    renderSection();
    const user = userEvent.setup();
    const input = await screen.findByLabelText("Keep the last scans per host");
    await user.clear(input);
    await user.type(input, "3");
    await user.click(screen.getByRole("button", { name: "Save retention" }));
    expect((await screen.findByRole("alert")).textContent).toBe("historyKeepScans: keep at least 1 scan per host");
    expect(input.getAttribute("aria-invalid")).toBe("true");
  });

  it("queues a prune and shows its outcome", async () => {
    const after = {
      ...OVERVIEW,
      stats: { ...OVERVIEW.stats, scans: 200_000 },
      lastPrune: { at: "2026-12-06T10:15:00.000Z", deletedScans: 45_120 },
    };
    const calls = stubApi({ afterPrune: after });
    renderSection();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Prune now" }));
    expect(await screen.findByText("Last prune 2026-12-06 10:15:00 UTC: 45,120 scans deleted.")).toBeTruthy();
    expect(screen.getByLabelText("History size").textContent).toContain("200,000 scans");
    expect(calls.filter((c) => c.method === "POST").map((c) => c.url)).toEqual(["/api/settings/history/prune"]);
    expect(screen.getByRole("button", { name: "Prune now" })).toBeTruthy();
  });
});
