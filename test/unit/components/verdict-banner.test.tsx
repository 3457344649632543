import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { VerdictBanner } from "@/components/hosts/verdict-banner";
import { reportFor } from "./report-fixtures";

afterEach(cleanup);

describe("VerdictBanner", () => {
  it("says in plain words why a modern stack blocks DAX on a ready platform", () => {
    const report = reportFor("altra-max-02");
    render(<VerdictBanner verdict={report.verdict} headline={report.headline} scanned />);
    const banner = screen.getByTestId("verdict-banner");
    expect(banner.dataset.verdict).toBe("platform-ready");
    expect(banner.textContent).toContain(
      "Platform ready — DAX blocked by the VMM: Cloud Hypervisor v41.0.0 has no DAX (removed in v25.0)",
    );
  });

  it("names the failing platform check for a GICv2 board", () => {
    const report = reportFor("rpi4-01");
    render(<VerdictBanner verdict={report.verdict} headline={report.headline} scanned />);
    expect(screen.getByTestId("verdict-banner").dataset.verdict).toBe("not-ready");
    expect(screen.getByText(/^Not ready — /)).toBeTruthy();
  });

  it("draws never-scanned and unknown as missing evidence, not as failure", () => {
    const { unmount } = render(<VerdictBanner verdict={null} headline={null} scanned={false} />);
    const never = screen.getByTestId("verdict-banner");
    expect(never.dataset.verdict).toBe("never");
    expect(never.textContent).toMatch(/Never scanned/);
    expect(never.className).not.toMatch(/red/);
    unmount();

    render(<VerdictBanner verdict="unknown" headline="Unknown — GIC version not readable" scanned />);
    const unknown = screen.getByTestId("verdict-banner");
    expect(unknown.dataset.verdict).toBe("unknown");
    expect(unknown.className).toMatch(/dashed/);
    expect(unknown.className).not.toMatch(/red/);
  });

  it("marks a stale verdict with the error class of the failed scan", () => {
    const report = reportFor("altra-max-01");
    render(
      <VerdictBanner verdict={report.verdict} headline={report.headline} scanned stale staleReason="unreachable" />,
    );
    expect(screen.getByTestId("stale-note").textContent).toContain("the last scan failed (unreachable)");
    expect(screen.getByTestId("verdict-banner").textContent).toMatch(
      /^.*Ready with warnings — legacy DAX-capable stack/,
    );
  });
});
