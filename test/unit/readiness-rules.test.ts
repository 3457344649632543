// Platform and guest rules 1–9, 13 and the overall verdict (DOMAIN.md §4).
import { describe, expect, it } from "vitest";
import { parseFacts } from "@/lib/probe/facts";
import { assess, RULES_VERSION } from "@/lib/readiness/assess";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "@/lib/readiness/guest-profile";
import { toAssessmentReport, verdictHeadline } from "@/lib/readiness/report";
import { buildProbeDocument, type DocSection } from "@/test/support/capture-document";
import { SERVER } from "./readiness-paths-host";

// The synthetic Ampere Altra server the zero-copy path tests start from too.
const BASE = SERVER;

function run(over: Record<string, string | null | [number, string]> = {}, guest: Partial<GuestProfile> = {}) {
  const merged: Record<string, string | [number, string] | null> = { ...BASE, ...over };
  const sections: DocSection[] = Object.entries(merged)
    .filter((e): e is [string, string | [number, string]] => e[1] !== null)
    .map(([name, v]) => (Array.isArray(v) ? { name, rc: v[0], body: v[1] } : { name, rc: 0, body: v }));
  const { facts } = parseFacts(buildProbeDocument("t0k", sections));
  const a = assess(facts, { ...DEFAULT_GUEST_PROFILE, ...guest });
  const c = (id: string) => a.checks.find((x) => x.id === id)!;
  return { facts, a, c };
}

describe("baseline server", () => {
  it("is platform-ready, blocked by CH v41, with a 2G window for a DAX-capable VMM", () => {
    const { a, facts } = run();
    expect(a.verdict).toBe("platform-ready");
    expect(a.rulesVersion).toBe(RULES_VERSION);
    expect(a.checks.filter((x) => x.group === "platform" && x.status === "FAIL")).toEqual([]);
    expect(a.cacheSize?.human).toBe("2G");
    expect(a.cacheSize?.forDaxCapableVmm).toBe(true);
    expect(verdictHeadline(facts, a)).toBe(
      "Platform ready — DAX blocked by the VMM: Cloud Hypervisor v41.0.0 has no DAX (removed in v25.0)",
    );
    expect(facts.platformClass).toMatchObject({ known: true, value: "server-acpi" });
    expect(facts.product.known && facts.product.value.name).toMatch(/^Ampere Altra/);
  });

  it("every check has a stable id, a reason and a source URL", () => {
    const { a } = run();
    const ids = a.checks.map((x) => x.id);
    expect(ids).toEqual([
      "platform.arch",
      "platform.bare-metal",
      "platform.kvm",
      "platform.gic",
      "platform.host-kernel",
      "platform.page-size",
      "platform.ipa",
      "platform.fwb",
      "platform.class",
      "stack.cloud-hypervisor",
      "stack.virtiofsd",
      "stack.dax-pair",
      "guest.kernel-version",
      "guest.kernel-config",
      "guest.cache-size",
    ]);
    for (const x of a.checks) {
      expect(x.reason.length).toBeGreaterThan(5);
      expect(x.source).toMatch(/^https:\/\//);
    }
  });

  it("is a pure function of its inputs", () => {
    const one = run();
    expect(assess(one.facts)).toEqual(assess(one.facts));
  });
});

describe("rule 1: architecture", () => {
  it("armv7l is a FAIL (32-bit kernel) → not-ready, no cache_size", () => {
    const { a, c } = run({ arch: "armv7l" });
    expect(c("platform.arch").status).toBe("FAIL");
    expect(a.verdict).toBe("not-ready");
    expect(a.cacheSize).toBeNull();
  });
  it("x86_64 → n/a", () => expect(run({ arch: "x86_64" }).a.verdict).toBe("n/a"));
  it("unknown arch → unknown", () => expect(run({ arch: null, cpuinfo: null }).a.verdict).toBe("unknown"));
});

describe("rule 2: bare metal", () => {
  it("VM with /dev/kvm → WARN nested", () =>
    expect(run({ virt: "systemd-detect-virt=kvm" }).c("platform.bare-metal").status).toBe("WARN"));
  it("VM without /dev/kvm → FAIL", () => {
    const { c, a } = run({ virt: "systemd-detect-virt=kvm", kvm: "exists=no" });
    expect(c("platform.bare-metal").status).toBe("FAIL");
    expect(a.verdict).toBe("not-ready");
  });
  it("EC2 non-metal instance is a VM; *.metal is not", () => {
    expect(
      run({ virt: null, dmi: "sys_vendor=Amazon EC2\nproduct_name=m6g.8xlarge" }).c("platform.bare-metal").status,
    ).toBe("WARN");
    expect(
      run({ virt: null, dmi: "sys_vendor=Amazon EC2\nproduct_name=m6g.metal" }).c("platform.bare-metal").status,
    ).toBe("UNKNOWN");
  });
  it("a container is not a VM", () =>
    expect(run({ virt: "systemd-detect-virt=docker" }).c("platform.bare-metal").status).toBe("PASS"));
});

describe("rule 3: KVM", () => {
  it("missing /dev/kvm → FAIL", () => expect(run({ kvm: "exists=no" }).c("platform.kvm").status).toBe("FAIL"));
  it("not r/w → WARN with the kvm group hint", () => {
    const k = run({ kvm: "exists=yes\nreadable=no\nwritable=no" }).c("platform.kvm");
    expect(k.status).toBe("WARN");
    expect(k.remediation).toMatch(/group kvm/);
  });
  it("HYP mode not available → FAIL", () =>
    expect(run({ "dmesg-kvm": "[0.1] kvm [1]: HYP mode not available" }).c("platform.kvm").status).toBe("FAIL"));
  it("not collected → UNKNOWN and verdict unknown", () => {
    const r = run({ kvm: null });
    expect(r.c("platform.kvm").status).toBe("UNKNOWN");
    expect(r.a.verdict).toBe("unknown");
  });
});

describe("rule 4: GIC", () => {
  it("GICv2 (GIC-0) → FAIL naming Raspberry Pi", () => {
    const g = run({ interrupts: "           CPU0\n 11:  1  GIC-0  30 Level     arch_timer" }).c("platform.gic");
    expect(g.status).toBe("FAIL");
    expect(g.reason).toMatch(/vGICv3/);
  });
  it("GICv3 from dmesg when interrupts are missing", () =>
    expect(run({ interrupts: null, "dmesg-kvm": "[0] GICv3: 256 SPIs implemented" }).c("platform.gic").status).toBe(
      "PASS",
    ));
  it("unknown → UNKNOWN", () => expect(run({ interrupts: null }).c("platform.gic").status).toBe("UNKNOWN"));
});

describe("rules 5–7", () => {
  it("kernel < 5.13 → WARN", () =>
    expect(run({ "kernel-release": "5.4.0-1029-aws" }).c("platform.host-kernel").status).toBe("WARN"));
  it("64K host → PASS with the hugepage note; guest 64K on 4K host → WARN", () => {
    const p = run({ pagesize: "65536" }).c("platform.page-size");
    expect(p.status).toBe("PASS");
    expect(p.reason).toMatch(/512 MiB/);
    expect(p.reason).toMatch(/need not match/);
    expect(run({}, { pageSize: 65536 }).c("platform.page-size").status).toBe("WARN");
  });
  it("IPA 36 → WARN; unknown → UNKNOWN with a hint", () => {
    expect(run({ "dmesg-kvm": "[0] kvm [1]: IPA Size Limit: 36 bits" }).c("platform.ipa").status).toBe("WARN");
    const u = run({ "dmesg-kvm": [1, "dmesg: read kernel buffer failed: Operation not permitted"] }).c("platform.ipa");
    expect(u.status).toBe("UNKNOWN");
    expect(u.remediation).toMatch(/dmesg_restrict|group kvm/);
  });
  it("kvm-ipa ioctl wins over dmesg", () =>
    expect(run({ "kvm-ipa": "44" }).facts.ipaBits).toMatchObject({ known: true, value: 44, source: "kvm-ipa" }));
});

describe("rules 8–9", () => {
  it("FWB detected → INFO; absent with readable boot log → INFO; DT non-coherent → WARN", () => {
    expect(
      run({ "dmesg-kvm": BASE["dmesg-kvm"] + "\n[0] CPU features: detected: Stage-2 Force Write-Back" }).c(
        "platform.fwb",
      ).status,
    ).toBe("INFO");
    expect(run().c("platform.fwb").reason).toMatch(/no Stage-2 Forced Write-Back/);
    const dt = run({
      "acpi-tables": [1, "no /sys/firmware/acpi/tables"],
      "dt-model": "Some Board",
      "dt-dma-coherent": "",
    });
    expect(dt.facts.platformClass).toMatchObject({ known: true, value: "dt-noncoherent" });
    expect(dt.c("platform.fwb").status).toBe("WARN");
  });
  it("dt-coherent and no-gicv3 classes", () => {
    expect(
      run({
        "acpi-tables": [1, "none"],
        "dt-model": "Board",
        "dt-dma-coherent": "/proc/device-tree/pcie@0/dma-coherent",
      }).facts.platformClass,
    ).toMatchObject({ value: "dt-coherent" });
    expect(run({ interrupts: "  CPU0\n 1: 0 GIC-0 1 Edge x" }).facts.platformClass).toMatchObject({
      value: "no-gicv3",
    });
  });
});

describe("rule 13: guest", () => {
  const FULL = [
    "CONFIG_VIRTIO_FS=y",
    "CONFIG_FUSE_DAX=y",
    "CONFIG_FS_DAX=y",
    "CONFIG_DAX=y",
    "CONFIG_ZONE_DEVICE=y",
    "CONFIG_MEMORY_HOTPLUG=y",
    "CONFIG_MEMORY_HOTREMOVE=y",
    "CONFIG_SPARSEMEM_VMEMMAP=y",
  ].join("\n");
  it("missing CONFIG_FUSE_DAX → FAIL naming it", () => {
    const g = run({}, { kernelConfig: FULL.replace("CONFIG_FUSE_DAX=y", "# CONFIG_FUSE_DAX is not set") }).c(
      "guest.kernel-config",
    );
    expect(g.status).toBe("FAIL");
    expect(g.reason).toMatch(/CONFIG_FUSE_DAX/);
  });
  it("complete config → PASS; none uploaded → INFO", () => {
    expect(run({}, { kernelConfig: FULL }).c("guest.kernel-config").status).toBe("PASS");
    expect(run().c("guest.kernel-config").status).toBe("INFO");
  });
  it("guest kernel 5.4 → FAIL, 5.15 → INFO, 6.1 → PASS", () => {
    expect(run({}, { kernelVersion: "5.4" }).c("guest.kernel-version").status).toBe("FAIL");
    expect(run({}, { kernelVersion: "5.15" }).c("guest.kernel-version").status).toBe("INFO");
    expect(run({}, { kernelVersion: "6.1" }).c("guest.kernel-version").status).toBe("PASS");
  });
});

describe("overall verdict", () => {
  const LEGACY = {
    ch: "path=/opt/ch/bin/cloud-hypervisor\ncloud-hypervisor v22.1",
    virtiofsd: "path=/usr/libexec/virtiofsd\nvirtiofsd 1.10.1",
  };
  it("legacy pair → ready-with-warnings (legacy is always a WARN)", () => {
    const { a, facts } = run(LEGACY);
    expect(a.verdict).toBe("ready-with-warnings");
    expect(a.cacheSize?.forDaxCapableVmm).toBe(false);
    expect(verdictHeadline(facts, a)).toMatch(/^Ready with warnings — .*cache_size=2G/);
  });
  it("legacy pair with a guest config FAIL → platform-ready", () => {
    expect(run(LEGACY, { kernelConfig: "CONFIG_VIRTIO_FS=y" }).a.verdict).toBe("platform-ready");
  });
  it("too many platform unknowns → unknown", () => {
    expect(run({ virt: null, pagesize: null, "kernel-release": null, "dmesg-kvm": null }).a.verdict).toBe("unknown");
  });
  it("report JSON has the keys other tools rely on, unknowns as null", () => {
    const { a, facts } = run({ "dmesg-kvm": null });
    const r = toAssessmentReport(facts, a);
    expect(Object.keys(r.facts)).toEqual(
      expect.arrayContaining([
        "arch",
        "kernelRelease",
        "pageSize",
        "cpus",
        "product",
        "platformClass",
        "bootMethod",
        "gic",
        "kvm",
        "ipaBits",
        "virtualized",
        "cloudHypervisor",
        "virtiofsd",
      ]),
    );
    expect(r.facts.ipaBits).toBeNull();
    expect(r.facts.cpus[0]).toEqual({ implementer: "0x41", part: "0xd0c", core: "Neoverse N1", count: 1 });
    expect(r.facts.cloudHypervisor).toEqual({
      found: true,
      path: "/usr/local/bin/cloud-hypervisor",
      version: "v41.0.0",
      daxOption: null,
    });
    expect(r.cacheSize).toMatchObject({ bytes: 2 ** 31, human: "2G", limitedBy: "memmap-budget" });
    expect(r.checks[0]).toEqual(expect.objectContaining({ id: "platform.arch", status: "PASS", remediation: null }));
  });
});
