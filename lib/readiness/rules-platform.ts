// Platform rules 1–5 (DOMAIN.md §4): can a KVM microVM run on this host at all?
import type { Facts } from "../probe/types";
import { check, evidence, prose, unknownText } from "./check";
import { SOURCES } from "./sources";
import type { Check } from "./types";

export function ruleArch(f: Facts): Check {
  const base = {
    id: "platform.arch",
    rule: 1,
    group: "platform",
    title: "Architecture",
    evidence: [evidence("arch", f.arch)],
    source: SOURCES.kvmApi,
  } as const;
  if (!f.arch.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `architecture not read: ${unknownText(f.arch)}`,
      remediation: "re-run the probe; `uname -m` must be readable",
    });
  const a = f.arch.value;
  if (a === "aarch64" || a === "arm64") return check({ ...base, status: "PASS", reason: "64-bit arm64 kernel" });
  if (/^arm/.test(a))
    return check({
      ...base,
      status: "FAIL",
      reason: `${a}: a 32-bit kernel cannot run KVM for arm64 guests, even on a 64-bit CPU`,
      remediation: "install a 64-bit (aarch64) kernel and OS",
    });
  return check({
    ...base,
    status: "INFO",
    reason: `${a} host: DAXboard judges arm64 hosts; facts are shown, verdict n/a`,
  });
}

export function ruleBareMetal(f: Facts): Check {
  const base = {
    id: "platform.bare-metal",
    rule: 2,
    group: "platform",
    title: "Bare metal",
    evidence: [
      evidence("virtualized", f.virtualized, (v) => (v.virtualized ? `VM (${v.evidence})` : `no (${v.evidence})`)),
      evidence("kvm", f.kvm, (v) => (v.present ? "present" : "absent")),
    ],
    source: SOURCES.kvmApi,
  } as const;
  if (!f.virtualized.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `could not tell whether the host is a VM: ${unknownText(f.virtualized)}`,
      remediation: "install systemd (systemd-detect-virt) or make /sys/class/dmi/id readable",
    });
  if (!f.virtualized.value.virtualized)
    return check({ ...base, status: "PASS", reason: `not a VM (${f.virtualized.value.evidence})` });
  if (f.kvm.known && !f.kvm.value.present)
    return check({
      ...base,
      status: "FAIL",
      reason: prose`host is itself a VM (${f.virtualized.value.evidence}) without /dev/kvm:
        nested virtualization is not available`,
      remediation: "run microVMs on bare metal (e.g. a *.metal instance) or enable nested virtualization",
    });
  return check({
    ...base,
    status: "WARN",
    reason: `host is itself a VM (${f.virtualized.value.evidence}): microVMs would rely on nested virtualization`,
    remediation: "prefer bare metal for production microVMs",
  });
}

export function ruleKvm(f: Facts): Check {
  const base = {
    id: "platform.kvm",
    rule: 3,
    group: "platform",
    title: "KVM",
    evidence: [
      evidence("kvm", f.kvm, (v) => `present=${v.present} readable=${v.readable} writable=${v.writable}`),
      evidence("hypModeAvailable", f.hypModeAvailable),
    ],
    source: SOURCES.kvmApi,
  } as const;
  if (f.hypModeAvailable.known && !f.hypModeAvailable.value)
    return check({
      ...base,
      status: "FAIL",
      reason: "dmesg: HYP mode not available — the kernel was not entered at EL2, so KVM cannot work",
      remediation: "boot the kernel at EL2 (firmware/bootloader setting); VMs usually cannot provide EL2",
    });
  if (!f.kvm.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `KVM not checked: ${unknownText(f.kvm)}`,
      remediation: "re-run the probe",
    });
  if (!f.kvm.value.present)
    return check({
      ...base,
      status: "FAIL",
      reason: "/dev/kvm does not exist",
      remediation: "load the kvm module / enable CONFIG_KVM, and boot at EL2",
    });
  if (f.kvm.value.readable === false || f.kvm.value.writable === false)
    return check({
      ...base,
      status: "WARN",
      reason: "/dev/kvm exists but this user cannot open it read-write",
      remediation: "add the user to group kvm (usermod -aG kvm <user>)",
    });
  return check({ ...base, status: "PASS", reason: "/dev/kvm present and usable by this user" });
}

export function ruleGic(f: Facts): Check {
  const base = {
    id: "platform.gic",
    rule: 4,
    group: "platform",
    title: "Interrupt controller (GIC)",
    evidence: [evidence("gic", f.gic, (v) => `GICv${v.version} (${v.evidence})`)],
    source: SOURCES.chGicv3,
  } as const;
  if (!f.gic.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `GIC version not determined: ${unknownText(f.gic)}`,
      remediation: "make /proc/interrupts readable (it is world-readable by default)",
    });
  if (f.gic.value.version === 2)
    return check({
      ...base,
      status: "FAIL",
      reason: "GICv2 only: Cloud Hypervisor needs a vGICv3 (e.g. Raspberry Pi 4/5 have a GIC-400)",
      remediation: "use a host with a GICv3 (server-class arm64, Ampere, Graviton, Grace …)",
    });
  return check({ ...base, status: "PASS", reason: `GICv3-class interrupt controller (${f.gic.value.evidence})` });
}

export function ruleHostKernel(f: Facts): Check {
  const base = {
    id: "platform.host-kernel",
    rule: 5,
    group: "platform",
    title: "Host kernel",
    evidence: [evidence("kernelRelease", f.kernelRelease)],
    source: SOURCES.chHostKernel,
  } as const;
  if (!f.kernelVersion.known)
    return check({ ...base, status: "UNKNOWN", reason: `kernel version not read: ${unknownText(f.kernelVersion)}` });
  const { major, minor } = f.kernelVersion.value;
  if (major > 5 || (major === 5 && minor >= 13))
    return check({ ...base, status: "PASS", reason: `kernel ${major}.${minor} ≥ 5.13 (CH's recommended host kernel)` });
  return check({
    ...base,
    status: "WARN",
    reason: prose`kernel ${major}.${minor} < 5.13, CH's recommended host kernel
      (a general CH recommendation, not a DAX requirement)`,
    remediation: "upgrade the host kernel to 5.15 or later (CH CI uses 5.15)",
  });
}
