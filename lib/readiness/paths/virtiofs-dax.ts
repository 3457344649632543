// Path A — virtio-fs DAX with Cloud Hypervisor (DOMAIN.md §4 rules 10–13, §7 A). The verdict reuses the stack and
// guest checks of the overall verdict, so both agree; this file adds the future-path note, the Kata note and the
// legacy configuration.
import { check, prose } from "../check";
import { SOURCES } from "../sources";
import type { Check, PathConfig, ZeroCopyPath } from "../types";
import { ruleKataVirtiofs } from "./kata";
import { makePath, pathBase, type PathContext } from "./path-check";
import { rulePathPlatform } from "./platform";

// What a release would need before virtio-fs DAX comes back (checked 2026-12; no release has it).
export function ruleVirtiofsFuturePath(): Check {
  return check({
    ...pathBase("virtiofs.future-path", "Future virtio-fs DAX", SOURCES.chDaxLimitedPr),
    status: "INFO",
    reason: prose`no release brings virtio-fs DAX back yet. It needs QEMU's vhost-user SHMEM_MAP/UNMAP (upstream by
      about QEMU 11.1, on the generic vhost-user-device only, not vhost-user-fs-pci), rust-vmm/vhost ≥ 0.17.0
      (0.16.0 used the wrong feature bit 21; the spec bit is 22, vhost PR #367), virtiofsd MR !318 (unmerged), and a
      Cloud Hypervisor that negotiates it (CH PR #8317 was closed in 2026-06)`,
    remediation: "until then, share libraries through virtio-pmem + erofs (path B)",
  });
}

const SOCKET = "/run/virtiofsd-libs.sock";

function virtiofsConfig(ctx: PathContext): PathConfig | null {
  const c = ctx.cacheSize;
  if (!c) return null;
  const fsArg = c.chArgument.replace("<tag>", "libs").replace("<socket>", SOCKET);
  const [major, minor] = ctx.guest.kernelVersion.split(".").map(Number);
  // dax=always arrived in guest kernel 5.17; before, plain -o dax (DOMAIN.md §6).
  const daxOption = major > 5 || (major === 5 && minor >= 17) ? "dax=always" : "dax";
  return {
    host: [
      `virtiofsd --socket-path=${SOCKET} --shared-dir=/srv/libs --cache=always`,
      `cloud-hypervisor … --memory size=${ctx.guest.ramMiB}M,shared=on ${fsArg}`,
    ],
    guest: [`mount -t virtiofs libs /opt/libs -o ${daxOption}`],
    notes: [
      "legacy stack only: Cloud Hypervisor ≤ v22.1 with Rust virtiofsd ≤ 1.12 (both unmaintained since 2022)",
      c.explanation,
      ...(c.forDaxCapableVmm ? ["sized for a DAX-capable VMM: the installed stack cannot create the window"] : []),
      `Kata: ${c.kataSetting} has no effect with Kata's Cloud Hypervisor driver (DAX hard-coded off)`,
      "in the guest, dmesg 'Cache len: …' proves the window exists; /proc/mounts must show dax=always",
    ],
  };
}

export function judgeVirtiofsDax(ctx: PathContext): ZeroCopyPath {
  const kata = ruleKataVirtiofs(ctx);
  // Every platform WARN counts here, as in the overall verdict: rules 6–8 are about the DAX window itself.
  const checks: Check[] = [
    rulePathPlatform("virtiofs", ctx, "all"),
    ...ctx.stack,
    ...ctx.guestChecks,
    ruleVirtiofsFuturePath(),
    ...(kata ? [kata] : []),
  ];
  const size = ctx.cacheSize ? `, cache_size=${ctx.cacheSize.human}` : "";
  return makePath(ctx, {
    id: "virtiofs-dax",
    title: "virtio-fs DAX",
    checks,
    readySummary: `legacy DAX-capable stack (CH ≤ v22.1 + virtiofsd ≤ 1.12)${size}`,
    config: virtiofsConfig(ctx),
  });
}
