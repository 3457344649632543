import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CacheSizePanel } from "@/components/hosts/cache-size-panel";
import { reportFor } from "./report-fixtures";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe("CacheSizePanel", () => {
  it("shows the size, its arithmetic and the CH and Kata snippets for a legacy DAX-capable stack", () => {
    const report = reportFor("altra-max-01");
    const c = report.cacheSize!;
    expect(c.human).toBe("2G");
    render(<CacheSizePanel cacheSize={c} verdict={report.verdict} />);
    expect(screen.getByText("2G")).toBeTruthy();
    expect(screen.getByTestId("cache-size").textContent).toContain((2 ** 31).toLocaleString());
    expect(screen.getByTestId("cache-size-explanation").textContent).toBe(c.explanation);
    expect(screen.getByText(c.chArgument)).toBeTruthy();
    expect(screen.getByText(c.kataSetting)).toBeTruthy();
    expect(screen.queryByTestId("cache-size-label")).toBeNull();
  });

  it("labels the size 'for a DAX-capable VMM' when the installed stack cannot use it", () => {
    const report = reportFor("altra-max-02");
    render(<CacheSizePanel cacheSize={report.cacheSize} verdict={report.verdict} />);
    expect(screen.getByTestId("cache-size-label").textContent).toMatch(/For a DAX-capable VMM/);
  });

  it("copies the Cloud Hypervisor and Kata snippets to the clipboard", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const report = reportFor("altra-max-01");
    render(<CacheSizePanel cacheSize={report.cacheSize} verdict={report.verdict} />);
    await user.click(screen.getByRole("button", { name: "Copy the Cloud Hypervisor --fs argument" }));
    expect(writeText).toHaveBeenLastCalledWith(report.cacheSize!.chArgument);
    await user.click(screen.getByRole("button", { name: "Copy the Kata setting" }));
    expect(writeText).toHaveBeenLastCalledWith(report.cacheSize!.kataSetting);
    expect(await screen.findAllByText("Copied")).not.toHaveLength(0);
  });

  it("explains why there is no recommendation on a not-ready host", () => {
    const report = reportFor("rpi4-01");
    expect(report.cacheSize).toBeNull();
    render(<CacheSizePanel cacheSize={report.cacheSize} verdict={report.verdict} />);
    expect(screen.getByTestId("cache-size-none").textContent).toMatch(/a platform check failed/);
  });

  it("follows the guest profile: a 64K-page guest gets the 8G cap", () => {
    const report = reportFor("altra-max-01", { pageSize: 65536 });
    render(<CacheSizePanel cacheSize={report.cacheSize} verdict={report.verdict} />);
    expect(screen.getByText("8G")).toBeTruthy();
  });
});
