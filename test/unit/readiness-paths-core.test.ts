// Zero-copy paths (DOMAIN.md §7): the shape every assessment carries, the verdict rules shared by all paths, the
// best path, and old documents (no issue-13 sections) that must give UNKNOWN, never blocked, for B and C.
import { describe, expect, it } from "vitest";
import { parseFacts } from "@/lib/probe/facts";
import { assess } from "@/lib/readiness/assess";
import { toAssessmentReport, verdictHeadline } from "@/lib/readiness/report";
import { captureDocument, listCaptures } from "@/test/support/capture-document";
import { host, PMEM_READY } from "./readiness-paths-host";

const LEGACY = {
  ch: "path=/opt/ch/bin/cloud-hypervisor\ncloud-hypervisor v22.1",
  virtiofsd: "path=/usr/libexec/virtiofsd\nvirtiofsd 1.10.1",
};

describe("paths: shape", () => {
  it("always lists virtiofs-dax, pmem-dax, ksm in that order, then one path per other VMM found", () => {
    expect(host().a.paths.map((p) => p.id)).toEqual(["virtiofs-dax", "pmem-dax", "ksm"]);
    const withVmms = host({ zeroCopy: { vmms: [{ id: "qemu" }, { id: "firecracker" }] } });
    expect(withVmms.a.paths.map((p) => p.id)).toEqual(["virtiofs-dax", "pmem-dax", "ksm", "firecracker", "qemu"]);
  });

  it("every path check is a group-path check with a reason and an https source; ids are prefixed by path", () => {
    const { a } = host({ zeroCopy: { ...PMEM_READY, vmms: [{ id: "libkrun" }, { id: "crosvm" }] } });
    const prefix = { "pmem-dax": "pmem.", ksm: "ksm.", libkrun: "libkrun.", crosvm: "crosvm." } as const;
    for (const p of a.paths) {
      expect(p.summary.length).toBeGreaterThan(5);
      for (const c of p.checks) {
        expect(c.source).toMatch(/^https:\/\//);
        expect(c.reason.length).toBeGreaterThan(5);
        if (c.rule === null) expect(c.group).toBe("path");
      }
      if (p.id in prefix)
        for (const c of p.checks.filter((x) => x.group === "path"))
          expect(c.id.startsWith(prefix[p.id as keyof typeof prefix])).toBe(true);
    }
  });

  it("keeps rules 1–13 and the overall verdict as they were", () => {
    const { a, facts } = host({ zeroCopy: PMEM_READY });
    expect(a.checks.map((c) => c.id)).toHaveLength(15);
    expect(a.checks.every((c) => c.group !== "path")).toBe(true);
    expect(a.verdict).toBe("platform-ready");
    expect(verdictHeadline(facts, a)).toMatch(/^Platform ready — DAX blocked by the VMM: Cloud Hypervisor v41\.0\.0/);
  });

  it("is a pure function of its inputs", () => {
    const { facts, guest } = host({ zeroCopy: PMEM_READY });
    expect(assess(facts, guest)).toEqual(assess(facts, guest));
  });
});

describe("paths: verdicts shared by every path", () => {
  it("x86_64 host → every path n/a, no config, no best path", () => {
    const { a } = host({ sections: { arch: "x86_64" }, zeroCopy: { ...PMEM_READY, vmms: [{ id: "qemu" }] } });
    expect(a.paths.map((p) => p.verdict)).toEqual(["n/a", "n/a", "n/a", "n/a"]);
    expect(a.paths.every((p) => p.config === null)).toBe(true);
    expect(a.bestPath).toBeNull();
    expect(a.bestPathReason).toMatch(/x86_64/);
  });

  it("a platform FAIL (GICv2) blocks every path, even one whose own checks pass", () => {
    const gicv2 = "           CPU0\n 11:  1  GIC-0  30 Level     arch_timer";
    const { a, check } = host({
      sections: { interrupts: gicv2 },
      zeroCopy: { ...PMEM_READY, vmms: [{ id: "libkrun" }] },
    });
    expect(a.verdict).toBe("not-ready");
    expect(a.paths.map((p) => p.verdict)).toEqual(["blocked", "blocked", "blocked", "blocked"]);
    expect(check("pmem-dax", "pmem.platform")).toMatchObject({ status: "FAIL" });
    expect(check("pmem-dax", "pmem.platform").reason).toMatch(/vGICv3/);
    expect(a.paths.every((p) => p.config === null)).toBe(true);
    expect(a.bestPath).toBeNull();
  });

  it("nested virtualization is a WARN on every path", () => {
    const { check, path } = host({ sections: { virt: "systemd-detect-virt=kvm" }, zeroCopy: PMEM_READY });
    expect(check("pmem-dax", "pmem.platform").status).toBe("WARN");
    expect(path("pmem-dax").verdict).toBe("ready-with-warnings");
  });

  it("a DAX-window WARN (IPA 36) touches virtio-fs DAX only", () => {
    const { check } = host({ sections: { "dmesg-kvm": "[0] kvm [1]: IPA Size Limit: 36 bits" }, zeroCopy: PMEM_READY });
    expect(check("virtiofs-dax", "virtiofs.platform").status).toBe("WARN");
    expect(check("pmem-dax", "pmem.platform").status).toBe("PASS");
  });
});

describe("old documents without the issue-13 sections", () => {
  it("B and C are unknown, never blocked, because chOptions/ksm were not collected", () => {
    const { a, check } = host();
    expect(a.paths.map((p) => p.verdict)).toEqual(["blocked", "unknown", "unknown"]);
    expect(check("pmem-dax", "pmem.ch-option")).toMatchObject({ status: "UNKNOWN" });
    expect(check("pmem-dax", "pmem.ch-option").reason).toMatch(/not in the document.*should offer it/);
    for (const id of ["ksm.kernel", "ksm.run", "ksm.ch-option"]) expect(check("ksm", id).status).toBe("UNKNOWN");
    expect(a.bestPath).toBeNull();
  });

  it("hold-out: no real capture gets a FAIL in B or C from a host fact it never collected", () => {
    for (const name of listCaptures()) {
      const a = assess(parseFacts(captureDocument(name)).facts);
      for (const id of ["pmem-dax", "ksm"] as const) {
        const p = a.paths.find((x) => x.id === id)!;
        const hostFails = p.checks.filter((c) => c.status === "FAIL" && !/^pmem\.guest-|\.platform$/.test(c.id));
        expect({ name, id, hostFails }).toEqual({ name, id, hostFails: [] });
        expect(["unknown", "n/a", "blocked"]).toContain(p.verdict);
        if (p.verdict === "blocked") expect(p.checks[0].status).toBe("FAIL"); // only a platform FAIL blocks
      }
    }
  });
});

describe("best path", () => {
  it("B when A is blocked by the VMM and B works; the headline names it", () => {
    const { a, facts } = host({ zeroCopy: PMEM_READY });
    expect(a.bestPath).toBe("pmem-dax");
    expect(a.bestPathReason).toMatch(/^virtio-pmem \+ DAX filesystem \(ready\)/);
    expect(verdictHeadline(facts, a)).toMatch(/; best path: virtio-pmem \+ DAX filesystem \(ready\)$/);
  });

  it("A first when the legacy pair works, even with B ready", () => {
    const { a, facts } = host({ sections: LEGACY, zeroCopy: PMEM_READY });
    expect(a.verdict).toBe("ready-with-warnings");
    expect(a.paths[0].verdict).toBe("ready-with-warnings");
    expect(a.bestPath).toBe("virtiofs-dax");
    expect(verdictHeadline(facts, a)).not.toMatch(/best path/);
  });

  it("C when B is blocked (guest kernel in the fs/dax range) and KSM works", () => {
    const { a } = host({ zeroCopy: PMEM_READY, guest: { kernelVersion: "6.18.10" } });
    expect(a.paths.map((p) => p.verdict)).toEqual(["blocked", "blocked", "ready-with-warnings"]);
    expect(a.bestPath).toBe("ksm");
  });

  it("none, with what blocks each path", () => {
    const { a } = host({
      zeroCopy: { ch: "absent", ksm: { present: false } },
      sections: { ch: "cloud-hypervisor: not found" },
    });
    expect(a.bestPath).toBeNull();
    expect(a.bestPathReason).toMatch(
      /^no zero-copy path works yet — virtio-fs DAX: blocked .*virtio-pmem.*: blocked .*KSM page merging: blocked/,
    );
  });

  it("other VMMs never become the best path", () => {
    const { a } = host({
      zeroCopy: { ch: "absent", vmms: [{ id: "libkrun" }] },
      sections: { ch: "cloud-hypervisor: not found" },
    });
    expect(a.paths.find((p) => p.id === "libkrun")?.verdict).toBe("ready-with-warnings");
    expect(a.bestPath).toBeNull();
  });

  it("the report carries paths, bestPath and bestPathReason with checks as report checks", () => {
    const { a, facts } = host({ zeroCopy: PMEM_READY });
    const r = toAssessmentReport(facts, a);
    expect(r.bestPath).toBe("pmem-dax");
    expect(r.paths.map((p) => p.id)).toEqual(["virtiofs-dax", "pmem-dax", "ksm"]);
    expect(Object.keys(r.paths[1].checks[0]).sort()).toEqual(
      ["evidence", "id", "reason", "remediation", "source", "status", "title"].sort(),
    );
    expect(r.paths[1].config?.host.at(-1)).toBe(
      "cloud-hypervisor … --pmem file=/srv/images/libs.img,discard_writes=on,id=libs",
    );
  });
});
