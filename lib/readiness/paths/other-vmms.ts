// Paths D — other VMMs found on the host (DOMAIN.md §7 D). DAXboard judges CH first; these are short paths so ops
// see what else on the host could share one copy. Their verdicts follow the same rule as every path (pathVerdict);
// the comments on each say why its checks carry the status they do.
import type { OtherVmm, OtherVmmId, SemVer } from "../../probe/types";
import { check, prose } from "../check";
import { SOURCES } from "../sources";
import type { Check, ZeroCopyPath } from "../types";
import { makePath, pathBase, type PathContext } from "./path-check";
import { rulePmemGuestConfig, rulePmemGuestKernel } from "./pmem-guest";
import { rulePathPlatform, VM_PLATFORM_WARNINGS } from "./platform";

const semver = (v: SemVer) => `v${v.major}.${v.minor}${v.patch === null ? "" : `.${v.patch}`}`;
const found = (vmm: OtherVmm) => ({
  fact: `vmm.${vmm.id}`,
  value: `${vmm.path}: ${vmm.versionText ?? "?"}`,
  section: "vmms",
});

const FIRECRACKER_PMEM = { major: 1, minor: 14 }; // v1.14.0, PR #5463

// Firecracker has no virtio-fs but virtio-pmem since v1.14.0, mapped MAP_SHARED into a read-only slot: guests share
// host page-cache pages and cannot write through. The guest needs what path B needs, so B's guest checks are
// reused and the verdict can be ready when they pass.
function ruleFirecrackerPmem(vmm: OtherVmm): Check {
  const base = pathBase("firecracker.pmem", "Firecracker virtio-pmem", SOURCES.firecrackerPmem, [found(vmm)]);
  const v = vmm.version;
  if (!v) return check({ ...base, status: "UNKNOWN", reason: "Firecracker found, version unreadable" });
  const has =
    v.major > FIRECRACKER_PMEM.major || (v.major === FIRECRACKER_PMEM.major && v.minor >= FIRECRACKER_PMEM.minor);
  if (!has)
    return check({
      ...base,
      status: "FAIL",
      reason: `Firecracker ${semver(v)} predates virtio-pmem (v1.14.0) and has no virtio-fs`,
      remediation: "upgrade Firecracker to v1.14.0 or later",
    });
  return check({
    ...base,
    status: "PASS",
    reason: prose`Firecracker ${semver(v)} has virtio-pmem (since v1.14.0): MAP_SHARED into a read-only slot, so
      guests share the host's page-cache pages and cannot write through (CONFIG_ARM64_PMEM needed on aarch64)`,
  });
}

// libkrun's virtio-fs DAX works in-process (512 MiB window, tested on aarch64) — a real window, hence no FAIL; but
// guest and VMM are one trust domain, a WARN for anyone sharing a host between tenants.
function libkrunChecks(vmm: OtherVmm): Check[] {
  return [
    check({
      ...pathBase("libkrun.dax", "libkrun virtio-fs DAX", SOURCES.libkrunDax, [found(vmm)]),
      status: "INFO",
      reason: prose`libkrun has in-process virtio-fs DAX (512 MiB window, tested on aarch64); its guest kernel
        (libkrunfw) must have CONFIG_FUSE_DAX — smolvm #1111 saw an arm64 guest kernel without it`,
    }),
    check({
      ...pathBase("libkrun.trust", "One trust domain", SOURCES.libkrunDax),
      status: "WARN",
      reason: "the VMM runs inside the calling process: guest and VMM are one trust domain",
      remediation: "use it for one workload per process, not for tenant isolation",
    }),
  ];
}

// crosvm's 8 GiB virtio-fs DAX window is compiled only for x86_64 (cfg!(target_arch = "x86_64")): on arm64 there is
// no window at all, a FAIL for this path.
function ruleCrosvmDax(vmm: OtherVmm): Check {
  return check({
    ...pathBase("crosvm.dax", "crosvm virtio-fs DAX", SOURCES.crosvmFs, [found(vmm)]),
    status: "FAIL",
    reason: "crosvm's virtio-fs DAX window (8 GiB) is built only for x86_64: none on arm64",
    remediation: "use virtio-pmem + erofs with Cloud Hypervisor (path B) on this host",
  });
}

// Upstream QEMU never had a virtio-fs DAX window; SHMEM_MAP lands on the generic vhost-user-device only and no
// released virtiofsd serves it, and Kata disabled DAX for QEMU on arm64. No window today: a FAIL.
function ruleQemuDax(vmm: OtherVmm): Check {
  return check({
    ...pathBase("qemu.dax", "QEMU virtio-fs DAX", SOURCES.qemuRemoved, [found(vmm)]),
    status: "FAIL",
    reason: prose`upstream QEMU has no virtio-fs DAX window (vhost-user-fs-pci); vhost-user SHMEM_MAP (about QEMU
      11.1) serves the generic vhost-user-device only, no released virtiofsd uses it, and Kata disabled DAX for
      QEMU on arm64 (48aa077e8c)`,
    remediation: "watch the future path (see virtiofs.future-path); use Cloud Hypervisor + virtio-pmem meanwhile",
  });
}

const TITLES: Record<OtherVmmId, string> = {
  firecracker: "Firecracker virtio-pmem",
  libkrun: "libkrun virtio-fs DAX",
  crosvm: "crosvm virtio-fs DAX",
  qemu: "QEMU virtio-fs DAX",
};

const READY: Record<OtherVmmId, string> = {
  firecracker: "Firecracker virtio-pmem: read-only, MAP_SHARED, one host copy for every guest",
  libkrun: "libkrun in-process virtio-fs DAX (512 MiB window)",
  crosvm: "crosvm virtio-fs DAX",
  qemu: "QEMU virtio-fs DAX",
};

function vmmChecks(ctx: PathContext, vmm: OtherVmm): Check[] {
  switch (vmm.id) {
    case "firecracker":
      return [ruleFirecrackerPmem(vmm), rulePmemGuestConfig(ctx), rulePmemGuestKernel(ctx)];
    case "libkrun":
      return libkrunChecks(vmm);
    case "crosvm":
      return [ruleCrosvmDax(vmm)];
    case "qemu":
      return [ruleQemuDax(vmm)];
  }
}

const ORDER: readonly OtherVmmId[] = ["firecracker", "libkrun", "crosvm", "qemu"];

/** One path per VMM id found (a krun binary and a libkrun.so are one libkrun path), in a fixed order. */
export function judgeOtherVmms(ctx: PathContext): ZeroCopyPath[] {
  const vmms = ctx.facts.otherVmms.known ? ctx.facts.otherVmms.value : [];
  return ORDER.flatMap((id) => {
    const vmm = vmms.find((v) => v.id === id);
    if (!vmm) return [];
    return [
      makePath(ctx, {
        id,
        title: TITLES[id],
        checks: [rulePathPlatform(id, ctx, VM_PLATFORM_WARNINGS), ...vmmChecks(ctx, vmm)],
        readySummary: READY[id],
        config: null,
      }),
    ];
  });
}
