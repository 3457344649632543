import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebhooksAdmin } from "@/components/webhooks/webhooks-admin";
import type { DeliveryRow, WebhookRow } from "@/components/webhooks/webhook-queries";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const HOOK: WebhookRow = {
  id: "w1",
  name: "ops-chat",
  url: "https://hooks.example.com/x",
  format: "slack",
  events: ["drift", "scan-failed-repeatedly"],
  failureThreshold: 4,
  enabled: false,
  disabledReason: "The endpoint answered 410 Gone on 2026-12-06T10:00:00.000Z; edit and re-enable it to send again.",
  hasSecret: true,
};

const DELIVERY: DeliveryRow = {
  id: "d1",
  event: "drift",
  status: "retrying",
  attempts: 2,
  lastStatusCode: 503,
  lastLatencyMs: 87,
  lastError: "HTTP 503",
  nextAttemptAt: "2026-12-06T10:05:30.000Z",
  createdAt: "2026-12-06T10:04:00.000Z",
  deliveredAt: null,
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function stubApi() {
  const calls: Array<{ url: string; method: string; body: Record<string, unknown> | null }> = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      calls.push({ url, method, body: init?.body ? JSON.parse(String(init.body)) : null });
      if (url === "/api/webhooks" && method === "GET") return json({ webhooks: [HOOK] });
      if (url.endsWith("/deliveries")) return json({ deliveries: [DELIVERY] });
      if (url.endsWith("/test")) return json({ delivery: { id: "d2" } }, 202);
      return json({ webhook: HOOK }, method === "POST" ? 201 : 200);
    }),
  );
  return calls;
}

function renderAdmin() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <WebhooksAdmin />
    </QueryClientProvider>,
  );
}

describe("WebhooksAdmin", () => {
  it("shows an endpoint with why it was disabled, its delivery log and the test button", async () => {
    const calls = stubApi();
    renderAdmin();
    const card = await screen.findByRole("article", { name: "ops-chat" });
    expect(within(card).getByText(/slack · signed · disabled/)).toBeTruthy();
    expect(within(card).getByText(/410 Gone/)).toBeTruthy();
    expect(within(card).getByText(/\(after 4\)/)).toBeTruthy();
    await userEvent.click(within(card).getByRole("button", { name: "Delivery log" }));
    const log = await within(card).findByRole("table", { name: "Delivery log" });
    const row = within(log).getAllByRole("row")[1];
    expect(row.textContent).toContain("503");
    expect(row.textContent).toContain("87 ms");
    expect(row.textContent).toContain("2026-12-06 10:05:30");
    await userEvent.click(within(card).getByRole("button", { name: "Send test event" }));
    expect(await within(card).findByText("Test event queued.")).toBeTruthy();
    expect(calls.some((c) => c.url === "/api/webhooks/w1/test" && c.method === "POST")).toBe(true);
  });

  it("adds an endpoint with the events picked, and sends no secret field when none was typed", async () => {
    const calls = stubApi();
    renderAdmin();
    const form = await screen.findByRole("form", { name: "Add webhook" });
    await userEvent.type(within(form).getByLabelText("Name"), "pager");
    await userEvent.type(within(form).getByLabelText("URL"), "https://pager.example.com/hook");
    await userEvent.click(within(form).getByLabelText("Host key changed"));
    await userEvent.click(within(form).getByLabelText("New host ready"));
    await userEvent.click(within(form).getByRole("button", { name: "Add webhook" }));
    const post = calls.find((c) => c.url === "/api/webhooks" && c.method === "POST");
    expect(post?.body).toEqual({
      name: "pager",
      url: "https://pager.example.com/hook",
      format: "json",
      events: ["host-key-changed", "host-ready"],
      failureThreshold: 3,
    });
  });

  it("keeps the stored secret on edit unless a new one is typed or removal is asked for", async () => {
    const calls = stubApi();
    renderAdmin();
    const card = await screen.findByRole("article", { name: "ops-chat" });
    await userEvent.click(within(card).getByRole("button", { name: "Edit" }));
    let form = screen.getByRole("form", { name: "Edit ops-chat" });
    expect((within(form).getByLabelText("Signing secret") as HTMLInputElement).value).toBe("");
    await userEvent.click(within(form).getByLabelText("Enabled"));
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    const first = calls.filter((c) => c.method === "PATCH")[0];
    expect(first.body).not.toHaveProperty("secret");
    expect(first.body).toMatchObject({ enabled: true, events: ["drift", "scan-failed-repeatedly"] });
    await userEvent.click(await screen.findByRole("button", { name: "Edit" }));
    form = screen.getByRole("form", { name: "Edit ops-chat" });
    await userEvent.click(within(form).getByLabelText("Remove secret"));
    await userEvent.click(within(form).getByRole("button", { name: "Save" }));
    expect(calls.filter((c) => c.method === "PATCH")[1].body).toMatchObject({ secret: "" });
  });
});
