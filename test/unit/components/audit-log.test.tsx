import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuditLog } from "@/components/admin/audit-log";
import type { AuditEventView } from "@/components/admin/audit-queries";

// The page's URL, as next/navigation would hold it: replace() changes it and re-renders its readers.
const nav = vi.hoisted(() => {
  let search = new URLSearchParams();
  const listeners = new Set<() => void>();
  return {
    reset(query: string) {
      search = new URLSearchParams(query);
    },
    get: () => search,
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    replace: vi.fn((url: string) => {
      search = new URLSearchParams(url.split("?")[1] ?? "");
      for (const l of listeners) l();
    }),
  };
});

vi.mock("next/navigation", async () => {
  const { useSyncExternalStore } = await import("react");
  return {
    useRouter: () => ({ replace: nav.replace, push: nav.replace, refresh: () => undefined, prefetch: () => undefined }),
    usePathname: () => "/admin/audit",
    useSearchParams: () => useSyncExternalStore(nav.subscribe, nav.get, nav.get),
  };
});

const event = (id: string, patch: Partial<AuditEventView> = {}): AuditEventView => ({
  id,
  at: "2026-03-01T10:00:00.000Z",
  actorType: "user",
  actorId: "u1",
  actorLabel: "ada@example.com",
  action: "user.login",
  hostId: null,
  hostName: null,
  targetType: null,
  targetId: null,
  detail: null,
  ...patch,
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

type Answer = (url: URL) => Response;

function stubApi(answer: Answer) {
  const fetchMock = vi.fn(async (input: string) => answer(new URL(input, "http://daxboard.test")));
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock, urls: () => fetchMock.mock.calls.map(([u]) => new URL(u, "http://daxboard.test")) };
}

function renderLog(query = "") {
  nav.reset(query);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuditLog />
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  nav.replace.mockClear();
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("audit log page", () => {
  it("shows each event, with any action string, and opens its detail with before/after from the keyboard", async () => {
    stubApi(() =>
      json({
        events: [
          event("e2", {
            action: "host.update",
            hostId: "h1",
            hostName: "web-01",
            targetType: "host",
            targetId: "h1",
            detail: { changes: { address: { old: "10.0.0.1", new: "10.0.0.9" }, port: { old: 22, new: 2222 } } },
          }),
          event("e1", {
            action: "something.nobody-planned",
            actorType: "token",
            actorLabel: "token:ci",
            detail: { count: 3, note: "hello" },
          }),
        ],
        nextCursor: null,
      }),
    );
    renderLog();
    const rows = await screen.findAllByTestId("audit-row");
    expect(rows).toHaveLength(2);
    expect(within(rows[0]!).getByText("host.update")).toBeTruthy();
    expect(within(rows[0]!).getByRole("link", { name: "web-01" }).getAttribute("href")).toBe("/hosts/h1");
    expect(within(rows[0]!).getByText("address: 10.0.0.1 → 10.0.0.9; port: 22 → 2222")).toBeTruthy();
    expect(within(rows[0]!).getByText("2026-03-01 10:00:00 UTC")).toBeTruthy();
    expect(within(rows[1]!).getByText("something.nobody-planned")).toBeTruthy();
    expect(within(rows[1]!).getByText("count: 3, note: hello")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();

    const toggle = within(rows[0]!).getByRole("button", { name: /^Details/ });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    toggle.focus();
    await userEvent.keyboard("{Enter}");
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const panel = document.getElementById(toggle.getAttribute("aria-controls")!)!;
    const changes = within(panel).getAllByTestId("audit-change");
    expect(changes.map((c) => [...c.children].map((td) => td.textContent))).toEqual([
      ["address", "10.0.0.1", "10.0.0.9"],
      ["port", "22", "2222"],
    ]);
    expect(panel.querySelector("pre")!.textContent).toContain('"new": 2222');
    await userEvent.keyboard(" ");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(document.getElementById("audit-detail-e2")).toBeNull();
  });

  it("reads its filters from the URL and writes changes back to it; the export follows them", async () => {
    const api = stubApi(() => json({ events: [event("e1")], nextCursor: null }));
    renderLog("action=host.&from=2026-03-01T08:00:00.000Z");
    await screen.findAllByTestId("audit-row");
    expect(api.urls()[0]!.searchParams.get("action")).toBe("host.");
    expect(api.urls()[0]!.searchParams.get("from")).toBe("2026-03-01T08:00:00.000Z");
    expect((screen.getByLabelText("Action") as HTMLInputElement).value).toBe("host.");
    expect((screen.getByLabelText("From (UTC)") as HTMLInputElement).value).toBe("2026-03-01T08:00");

    await userEvent.type(screen.getByLabelText("Actor"), "ada{Enter}");
    expect(nav.replace).toHaveBeenLastCalledWith(
      "/admin/audit?actor=ada&action=host.&from=2026-03-01T08%3A00%3A00.000Z",
      { scroll: false },
    );
    await waitFor(() => expect(api.urls().at(-1)!.searchParams.get("actor")).toBe("ada"));
    expect(api.urls().at(-1)!.searchParams.get("action")).toBe("host.");
    const csv = new URL(screen.getByRole("link", { name: "Export CSV" }).getAttribute("href")!, "http://daxboard.test");
    expect(csv.pathname).toBe("/api/audit/export");
    expect(Object.fromEntries(csv.searchParams)).toEqual({
      actor: "ada",
      action: "host.",
      from: "2026-03-01T08:00:00.000Z",
      format: "csv",
    });

    await userEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(nav.replace).toHaveBeenLastCalledWith("/admin/audit", { scroll: false });
    expect((screen.getByLabelText("Actor") as HTMLInputElement).value).toBe("");
  });

  it("loads older events after the last cursor with 'Load more'", async () => {
    const api = stubApi((url) =>
      url.searchParams.get("cursor") === "c1"
        ? json({ events: [event("e1", { action: "user.logout" })], nextCursor: null })
        : json({ events: [event("e3"), event("e2")], nextCursor: "c1" }),
    );
    renderLog();
    expect(await screen.findAllByTestId("audit-row")).toHaveLength(2);
    expect(screen.getByText("2 events shown; older ones follow")).toBeTruthy();
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(screen.getAllByTestId("audit-row")).toHaveLength(3));
    expect(api.urls().at(-1)!.searchParams.get("cursor")).toBe("c1");
    expect(api.urls().at(-1)!.searchParams.get("limit")).toBe("50");
    expect(screen.getByText("user.logout")).toBeTruthy();
    expect(screen.getByText("3 events shown")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("says so when there is nothing, with or without filters", async () => {
    stubApi(() => json({ events: [], nextCursor: null }));
    renderLog();
    expect(await screen.findByText("No audit events yet.")).toBeTruthy();
    cleanup();
    renderLog("actor=nobody");
    expect(await screen.findByText("No audit events match these filters.")).toBeTruthy();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("shows the server's error and tries again on request", async () => {
    let fail = true;
    stubApi(() =>
      fail
        ? json({ error: { code: "invalid_input", message: "from: must be an ISO 8601 date" } }, 422)
        : json({ events: [event("e1")], nextCursor: null }),
    );
    renderLog("from=nonsense");
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Could not load the audit log: from: must be an ISO 8601 date",
    );
    fail = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findAllByTestId("audit-row")).toHaveLength(1);
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
