import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ZeroCopyPaths } from "@/components/hosts/zero-copy-paths";
import { assessmentBeforePaths, assessmentWithPaths, BLOCKED_DAX, READY_PMEM } from "./path-fixtures";
import { reportWithZeroCopy } from "./report-fixtures";

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const row = (id: string) => screen.getByTestId(`path-${id}`);
const toggle = (id: string) => row(id).querySelector<HTMLButtonElement>(`button[aria-controls="path-body-${id}"]`)!;

describe("ZeroCopyPaths", () => {
  it("marks the ready pmem path as best, opens it and shows its host and guest configuration", () => {
    render(<ZeroCopyPaths assessment={assessmentWithPaths()} guestProfile={{ id: "p1", name: "inference" }} />);
    expect(screen.getByTestId("best-path").textContent).toMatch(/^Best path: virtio-pmem \+ DAX fs — the first ready/);
    expect(row("pmem-dax").dataset.best).toBe("true");
    expect(within(row("pmem-dax")).getByText("Best path")).toBeTruthy();
    expect(row("pmem-dax").querySelector("[data-path-verdict]")?.getAttribute("data-path-verdict")).toBe("ready");
    expect(toggle("pmem-dax").getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByTestId("path-config-pmem-dax-host").textContent).toContain(READY_PMEM.config!.host.join("\n"));
    expect(screen.getByTestId("path-config-pmem-dax-guest").textContent).toContain(
      "mount -t erofs -o ro,dax=always /dev/pmem0 /opt/libs",
    );
    expect(within(row("pmem-dax")).getByRole("note").textContent).toContain("memory cgroup");
    expect(screen.getByTestId("paths-guest-profile").textContent).toContain("inference");
    // Other paths stay closed until asked for.
    expect(toggle("virtiofs-dax").getAttribute("aria-expanded")).toBe("false");
    expect(document.getElementById("path-body-virtiofs-dax")?.hidden).toBe(true);
  });

  it("copies a path's host commands as one block and says so", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<ZeroCopyPaths assessment={assessmentWithPaths()} />);
    await user.click(screen.getByRole("button", { name: "Copy the host commands for virtio-pmem + DAX filesystem" }));
    expect(writeText).toHaveBeenLastCalledWith(READY_PMEM.config!.host.join("\n"));
    expect(await within(screen.getByTestId("path-config-pmem-dax-host")).findByText("Copied")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Copy the guest commands for virtio-pmem + DAX filesystem" }));
    expect(writeText).toHaveBeenLastCalledWith(READY_PMEM.config!.guest[0]);
  });

  it("opens a blocked path from the keyboard and lists its FAIL and UNKNOWN checks with fix and source", async () => {
    const user = userEvent.setup();
    render(<ZeroCopyPaths assessment={assessmentWithPaths()} />);
    toggle("virtiofs-dax").focus();
    await user.keyboard("{Enter}");
    expect(toggle("virtiofs-dax").getAttribute("aria-expanded")).toBe("true");
    const blocking = within(row("virtiofs-dax")).getByRole("region", { name: "What blocks it" });
    const vmm = within(blocking).getByTestId("path-check-virtiofs-dax-path.dax.vmm");
    expect(vmm.dataset.status).toBe("FAIL");
    expect(vmm.textContent).toContain(BLOCKED_DAX.checks[1].reason);
    expect(vmm.textContent).toContain("Fix: Fix for VMM offers a DAX window");
    expect(
      within(vmm)
        .getByRole("link", { name: /Source/ })
        .getAttribute("href"),
    ).toBe(BLOCKED_DAX.checks[1].source);
    expect(within(blocking).getByTestId("path-check-virtiofs-dax-path.dax.daemon").dataset.status).toBe("UNKNOWN");
    // A passing check is named, not listed as a blocker; a path with nothing to paste shows no configuration.
    expect(within(blocking).queryByText("Platform fits a DAX window")).toBeNull();
    expect(within(row("virtiofs-dax")).getByText(/Passed: Platform fits a DAX window/)).toBeTruthy();
    expect(screen.queryByTestId("path-config-virtiofs-dax")).toBeNull();
    await user.keyboard(" ");
    expect(toggle("virtiofs-dax").getAttribute("aria-expanded")).toBe("false");
  });

  it("lists a warning under Warnings and says when no path works", async () => {
    const user = userEvent.setup();
    render(<ZeroCopyPaths assessment={assessmentWithPaths(undefined, null)} />);
    expect(screen.getByTestId("best-path").dataset.bestPath).toBe("none");
    expect(screen.getByTestId("best-path").textContent).toContain("No zero-copy path works here today");
    expect(screen.queryByText("Best path")).toBeNull();
    await user.click(toggle("ksm"));
    const warnings = within(row("ksm")).getByRole("region", { name: "Warnings" });
    expect(within(warnings).getByTestId("path-check-ksm-path.ksm.side-channel").dataset.status).toBe("WARN");
  });

  it("draws a real assessment of a CH v41 host offering --pmem: pmem best and open, DAX blocked by the VMM", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const report = reportWithZeroCopy("altra-max-02", { chPmem: true, discardWrites: true, ksm: { run: 0 }, vmms: [] });
    const pmem = report.paths.find((p) => p.id === "pmem-dax")!;
    render(<ZeroCopyPaths assessment={report} />);
    expect(screen.getByTestId("best-path").dataset.bestPath).toBe("pmem-dax");
    expect(row("pmem-dax").dataset.verdict).toBe(pmem.verdict);
    expect(toggle("pmem-dax").getAttribute("aria-expanded")).toBe("true");
    expect(row("virtiofs-dax").dataset.verdict).toBe("blocked");
    expect(screen.getByTestId("path-config-pmem-dax-host").textContent).toMatch(/--pmem file=\S+,discard_writes=on/);
    await user.click(screen.getByRole("button", { name: `Copy the host commands for ${pmem.title}` }));
    expect(writeText).toHaveBeenLastCalledWith(pmem.config!.host.join("\n"));
    await user.click(toggle("virtiofs-dax"));
    const blocking = within(row("virtiofs-dax")).getByRole("region", { name: "What blocks it" });
    expect(within(blocking).getByTestId("path-check-virtiofs-dax-stack.cloud-hypervisor").textContent).toContain(
      "v41.0.0",
    );
  });

  it("shows 'not judged yet' for an assessment stored before paths existed", () => {
    render(<ZeroCopyPaths assessment={assessmentBeforePaths()} />);
    expect(screen.getByTestId("paths-not-judged").textContent).toMatch(/not judged yet.*Rescan the host/s);
    expect(screen.queryByTestId("zero-copy-paths")).toBeNull();
  });

  it("says paths come after a scan when there is no assessment at all", () => {
    render(<ZeroCopyPaths assessment={null} />);
    expect(screen.getByTestId("paths-none").textContent).toMatch(/after a successful scan/);
  });
});
