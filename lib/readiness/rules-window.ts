// Platform rules 6–9 (DOMAIN.md §4): would a DAX window fit and behave here?
import type { Facts } from "../probe/types";
import { check, evidence, prose, unknownText } from "./check";
import type { GuestProfile } from "./guest-profile";
import { SOURCES } from "./sources";
import type { Check } from "./types";

const k = (bytes: number) => `${bytes / 1024}K`;

export function rulePageSize(f: Facts, guest: GuestProfile): Check {
  const base = {
    id: "platform.page-size",
    rule: 6,
    group: "platform",
    title: "Host page size",
    evidence: [evidence("pageSize", f.pageSize)],
    source: SOURCES.fuseDax,
  } as const;
  if (!f.pageSize.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `page size not read: ${unknownText(f.pageSize)}`,
      remediation: "make `getconf PAGESIZE` available on the host",
    });
  const host = f.pageSize.value;
  // Guest pages larger than host pages can cover host pages past EOF at a file
  // tail (DOMAIN.md §1, low-confidence inference) — hence WARN, not FAIL.
  if (guest.pageSize > host)
    return check({
      ...base,
      status: "WARN",
      reason: `guest profile uses ${k(guest.pageSize)} pages on a ${k(host)} host: keep guest page ≤ host page`,
      remediation: `use ${k(host)} (or smaller) guest pages on this host`,
    });
  const hint = f.pageSize.confidence === "low" ? ` (inferred: ${f.pageSize.note ?? "release name"})` : "";
  if (host === 4096)
    return check({
      ...base,
      status: "PASS",
      reason: prose`4K host pages${hint}; host and guest page sizes need not match (contrary to common guidance):
        DAX maps fixed 2 MiB ranges`,
    });
  const huge = host === 65536 ? "; default hugepage is 512 MiB on 64K hosts" : "";
  return check({
    ...base,
    status: "PASS",
    reason: prose`${k(host)} host pages${hint}: the guest may use 4K (page sizes need not match, contrary to
      common guidance); keep guest page ≤ host page${huge}`,
  });
}

export function ruleIpa(f: Facts): Check {
  const base = {
    id: "platform.ipa",
    rule: 7,
    group: "platform",
    title: "KVM IPA limit",
    evidence: [evidence("ipaBits", f.ipaBits)],
    source: SOURCES.kvmIpa,
  } as const;
  if (!f.ipaBits.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `IPA limit not read: ${unknownText(f.ipaBits)}`,
      remediation: "add the probe user to group kvm (python3/perl ioctl) or set kernel.dmesg_restrict=0",
    });
  const n = f.ipaBits.value;
  if (n >= 40)
    return check({
      ...base,
      status: "PASS",
      reason: `IPA ${n} bits: the window is not limited by the address layout (CH's aperture is ~1 TiB at 40 bits)`,
    });
  return check({
    ...base,
    status: "WARN",
    reason: `reduced IPA: guest RAM + MMIO limited to 2^${n} bytes`,
    remediation: "size guest RAM and cache_size to fit; see the cache_size arithmetic",
  });
}

export function ruleFwb(f: Facts): Check {
  const base = {
    id: "platform.fwb",
    rule: 8,
    group: "platform",
    title: "Stage-2 Forced Write-Back",
    evidence: [evidence("fwb", f.fwb), evidence("dtDmaCoherent", f.dtDmaCoherent)],
    source: SOURCES.fwb,
  } as const;
  if (!f.fwb.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `FWB not determined: ${unknownText(f.fwb)}`,
      remediation: "set kernel.dmesg_restrict=0 or allow the probe user to read dmesg",
    });
  if (f.fwb.value)
    return check({ ...base, status: "INFO", reason: "FEAT_S2FWB detected: no cache maintenance on DAX map/unmap" });
  if (f.platformClass.known && f.platformClass.value === "dt-noncoherent")
    return check({
      ...base,
      status: "WARN",
      reason: prose`no Stage-2 Forced Write-Back and a device-tree platform without dma-coherent:
        memory-attribute mismatches are possible`,
      remediation: "prefer an FWB-capable (Armv8.4+) or coherent platform for DAX",
    });
  return check({
    ...base,
    status: "INFO",
    reason: prose`no Stage-2 Forced Write-Back (Armv8.2-class core): DAX map/unmap costs cache maintenance
      ('IO coherency' is the wrong model: DAX is CPU-only access)`,
  });
}

export function rulePlatformClass(f: Facts): Check {
  const base = {
    id: "platform.class",
    rule: 9,
    group: "platform",
    title: "Platform class",
    evidence: [evidence("platformClass", f.platformClass), evidence("bootMethod", f.bootMethod)],
    source: SOURCES.chGicv3,
  } as const;
  if (!f.platformClass.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `platform class not determined: ${unknownText(f.platformClass)}`,
    });
  return check({
    ...base,
    status: "INFO",
    reason: `${f.platformClass.value}${f.platformClass.note ? ` (${f.platformClass.note})` : ""}`,
  });
}
