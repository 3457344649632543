import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { CheckList, checkGroup } from "@/components/hosts/check-list";
import { reportFor } from "./report-fixtures";

afterEach(cleanup);

describe("CheckList", () => {
  it("groups checks as platform, software stack and guest, in that order", () => {
    const report = reportFor("altra-max-02", { kernelConfig: "CONFIG_VIRTIO_FS=y\n" });
    render(<CheckList checks={report.checks} />);
    const headings = screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent ?? "");
    expect(headings.map((h) => h.split(" —")[0])).toEqual(["Platform", "Software stack", "Guest"]);
    for (const check of report.checks) {
      expect(
        within(screen.getByTestId(`check-group-${checkGroup(check.id)}`)).getByTestId(`check-${check.id}`),
      ).toBeTruthy();
    }
  });

  it("shows each check's status, reason, fix, evidence (fact, value, probe section) and source link", () => {
    const report = reportFor("altra-max-02");
    render(<CheckList checks={report.checks} />);
    const ch = report.checks.find((c) => c.id === "stack.cloud-hypervisor");
    expect(ch?.status).toBe("FAIL");
    const item = screen.getByTestId("check-stack.cloud-hypervisor");
    expect(item.dataset.status).toBe("FAIL");
    expect(item.textContent).toContain(ch!.reason);
    if (ch!.remediation) expect(item.textContent).toContain(`Fix: ${ch!.remediation}`);
    const evidence = within(item).getByRole("table");
    for (const e of ch!.evidence) {
      expect(evidence.textContent).toContain(e.fact);
      if (e.section) expect(evidence.textContent).toContain(e.section);
    }
    const link = within(item).getByRole("link", { name: /Source/ });
    expect(link.getAttribute("href")).toBe(ch!.source);
    expect(link.getAttribute("rel")).toContain("noopener");
  });

  it("renders UNKNOWN differently from FAIL", () => {
    render(
      <CheckList
        checks={[
          {
            id: "platform.gic",
            title: "GIC",
            status: "UNKNOWN",
            reason: "GIC version not readable",
            remediation: "set kernel.dmesg_restrict=0",
            source: "https://example.com",
            evidence: [{ fact: "gic", value: null, section: "interrupts" }],
          },
          {
            id: "platform.kvm",
            title: "KVM",
            status: "FAIL",
            reason: "/dev/kvm missing",
            remediation: null,
            source: "https://example.com",
            evidence: [],
          },
        ]}
      />,
    );
    const unknownPill = screen.getByTestId("check-platform.gic").querySelector("[data-status=UNKNOWN]");
    const failPill = screen.getByTestId("check-platform.kvm").querySelector("[data-status=FAIL]");
    expect(unknownPill?.className).toMatch(/dashed/);
    expect(unknownPill?.className).not.toMatch(/red/);
    expect(failPill?.className).toMatch(/red/);
    expect(screen.getByTestId("check-platform.gic").textContent).toContain("unknown"); // the null evidence value
  });

  it("says so when there are no checks yet", () => {
    render(<CheckList checks={[]} />);
    expect(screen.getByText(/not been assessed yet/)).toBeTruthy();
  });
});
