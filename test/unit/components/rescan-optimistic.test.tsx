import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useHostScans } from "@/components/hosts/host-queries";
import { RescanControl } from "@/components/hosts/rescan-control";
import type { ScanView } from "@/lib/client/dto";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const done: ScanView = {
  id: "s1",
  hostId: "h1",
  status: "succeeded",
  source: "ssh",
  requestedBy: "ada",
  createdAt: "2026-11-24T10:00:00.000Z",
  startedAt: null,
  finishedAt: "2026-11-24T10:00:02.000Z",
  attempts: 1,
  errorClass: null,
  errorMessage: null,
  rulesVersion: "1",
  verdict: "ready",
  drift: null,
  error: null,
};

function Harness() {
  const scans = useHostScans("h1");
  return <RescanControl hostId="h1" latest={scans.data?.[0]} canOperate />;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

// The POST is held open so the test can look at the optimistic state before the server answers.
function stubApi(answerPost: () => Response, listAfterPost: ScanView[] = [done]) {
  let release: () => void = () => undefined;
  let answered = false;
  const posted = new Promise<void>((resolve) => (release = resolve));
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (init?.method === "POST") {
      await posted;
      answered = true;
      return answerPost();
    }
    return json({ scans: answered ? listAfterPost : [done] });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { release: () => release(), fetchMock };
}

function renderHarness() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <Harness />
    </QueryClientProvider>,
  );
}

describe("optimistic rescan", () => {
  it("shows queued at once, then rolls back to the last scan when the server refuses", async () => {
    const api = stubApi(() => json({ error: { code: "forbidden", message: "operators only" } }, 403));
    renderHarness();
    await waitFor(() => expect(screen.getByTestId("scan-progress").dataset.status).toBe("succeeded"));
    await userEvent.click(screen.getByRole("button", { name: "Rescan" }));
    expect(screen.getByTestId("scan-progress").dataset.status).toBe("queued");
    expect(screen.getByTestId("scan-announcer").textContent).toBe("Scan queued");
    expect(screen.getByRole("button", { name: "Scanning…" })).toHaveProperty("disabled", true);
    api.release();
    expect(await screen.findByRole("alert")).toHaveProperty("textContent", "Could not queue the scan: operators only");
    expect(screen.getByTestId("scan-progress").dataset.status).toBe("succeeded");
    expect(screen.getByRole("button", { name: "Rescan" })).toHaveProperty("disabled", false);
  });

  it("replaces the placeholder with the server's scan when it accepts", async () => {
    const queued: ScanView = { ...done, id: "s2", status: "queued", finishedAt: null, verdict: null };
    const api = stubApi(() => json({ scan: queued, created: true }, 202), [queued, done]);
    renderHarness();
    await waitFor(() => expect(screen.getByTestId("scan-progress").dataset.status).toBe("succeeded"));
    await userEvent.click(screen.getByRole("button", { name: "Rescan" }));
    api.release();
    await waitFor(() => expect(api.fetchMock.mock.calls.some(([, init]) => init?.method === "POST")).toBe(true));
    await waitFor(() => expect(api.fetchMock.mock.calls.filter(([, init]) => init?.method !== "POST")).toHaveLength(2)); // reconciled
    expect(screen.getByTestId("scan-progress").dataset.status).toBe("queued");
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
