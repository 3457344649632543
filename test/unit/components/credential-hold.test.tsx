import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CredentialHold } from "@/components/hosts/credential-hold";
import type { FleetHost } from "@/lib/client/dto";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const host = {
  id: "h1",
  name: "altra-07",
  address: "10.0.3.7",
  port: 22,
  username: "probe",
  authMethod: "password",
  jumpHost: null,
} as unknown as FleetHost;
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

function renderHold(isAdmin: boolean) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <CredentialHold host={host} isAdmin={isAdmin} />
    </QueryClientProvider>,
  );
}

describe("credential held for review", () => {
  it("lets an admin confirm only after ticking the check, with one PATCH of confirmCredential", async () => {
    const fetchMock = vi.fn(async () => json({ host: { ...host, credentialReviewRequired: false } }));
    vi.stubGlobal("fetch", fetchMock);
    renderHold(true);
    expect(screen.getByText(/will not send its stored password anywhere/)).toBeTruthy();
    const button = screen.getByRole("button", { name: "Confirm credential" });
    expect(button).toHaveProperty("disabled", true);
    await userEvent.click(screen.getByRole("checkbox"));
    await userEvent.click(button);
    await waitFor(() => expect(screen.getByText(/Credential confirmed for 10\.0\.3\.7/)).toBeTruthy());
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/hosts/h1");
    expect(init.method).toBe("PATCH");
    expect(JSON.parse(String(init.body))).toEqual({ confirmCredential: true });
  });

  it("shows the server's refusal and tells non-admins who can act", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json({ error: { code: "forbidden", message: "This needs the admin role." } }, 403)),
    );
    renderHold(true);
    await userEvent.click(screen.getByRole("checkbox"));
    await userEvent.click(screen.getByRole("button", { name: "Confirm credential" }));
    await waitFor(() => expect(screen.getByText("This needs the admin role.")).toBeTruthy());
    cleanup();
    renderHold(false);
    expect(screen.queryByRole("button")).toBeNull();
    expect(screen.getByText("Only an admin can confirm it.")).toBeTruthy();
  });
});
