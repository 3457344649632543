// Hosts for the zero-copy path tests: a synthetic Ampere Altra server (readiness-rules.test.ts starts from it too) or a real
// capture with a synthetic stack, plus the issue-13 sections (test/support/zero-copy-sections.ts), plus Facts
// overridden directly where a test needs a fact no section shape produces.
import { parseFacts } from "@/lib/probe/facts";
import type { Facts, KnownFact } from "@/lib/probe/types";
import { assess } from "@/lib/readiness/assess";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "@/lib/readiness/guest-profile";
import type { PathId } from "@/lib/readiness/types";
import {
  buildProbeDocument,
  captureSections,
  syntheticStackSections,
  type DocSection,
  type SyntheticStack,
} from "@/test/support/capture-document";
import { zeroCopySections, type ZeroCopyOptions } from "@/test/support/zero-copy-sections";

export const SERVER: Record<string, string> = {
  arch: "aarch64",
  "kernel-release": "6.8.0-39-generic",
  pagesize: "4096",
  cpuinfo: "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xd0c",
  interrupts: "           CPU0\n 11:  1  GICv3  27 Level     arch_timer",
  "acpi-tables": "APIC\nIORT\nDSDT",
  dmi: "sys_vendor=Ampere\nproduct_name=Mt.Jade\nproduct_family=Altra",
  kvm: "exists=yes\nreadable=yes\nwritable=yes",
  "dmesg-kvm": "[0.7] kvm [1]: IPA Size Limit: 48 bits\n[0.7] kvm [1]: VHE mode initialized successfully",
  virt: "systemd-detect-virt=none",
  ch: "path=/usr/local/bin/cloud-hypervisor\ncloud-hypervisor v41.0.0",
  virtiofsd: "path=/usr/libexec/virtiofsd\nvirtiofsd 1.13.0",
};

// Upstream CH v41 with --pmem, KSM on, no Kata, no other VMM: the host where B is the best path.
export const PMEM_READY: ZeroCopyOptions = {
  chPmem: true,
  ksm: { run: 1, pagesSharing: 2560 },
  kata: "absent",
  vmms: [],
};

export type HostSpec = {
  capture?: string; // a real capture instead of SERVER
  stack?: SyntheticStack; // synthetic stack sections for a capture
  sections?: Record<string, string | null>; // override SERVER sections (null drops one)
  zeroCopy?: ZeroCopyOptions;
  facts?: Partial<Facts>;
  guest?: Partial<GuestProfile>;
};

export const known = <T>(value: T): KnownFact<T> => ({ known: true, value, source: "test", confidence: "high" });

function sectionsFor(spec: HostSpec): DocSection[] {
  const base: DocSection[] = spec.capture
    ? [...captureSections(spec.capture), ...syntheticStackSections(spec.stack ?? {})]
    : Object.entries({ ...SERVER, ...spec.sections })
        .filter((e): e is [string, string] => e[1] !== null)
        .map(([name, body]) => ({ name, rc: 0, body }));
  const added = zeroCopySections(spec.zeroCopy ?? {});
  const names = new Set(added.map((s) => s.name));
  // Later sections win: keep one section per name, the synthetic one.
  const byName = new Map<string, DocSection>();
  for (const s of [...base.filter((s) => !names.has(s.name)), ...added]) byName.set(s.name, s);
  return [...byName.values()];
}

export function host(spec: HostSpec = {}) {
  const parsed = parseFacts(buildProbeDocument("t0k", sectionsFor(spec))).facts;
  const facts: Facts = { ...parsed, ...spec.facts };
  const guest: GuestProfile = { ...DEFAULT_GUEST_PROFILE, ...spec.guest };
  const a = assess(facts, guest);
  const path = (id: PathId) => {
    const p = a.paths.find((x) => x.id === id);
    if (!p) throw new Error(`no path ${id}: ${a.paths.map((x) => x.id).join(", ")}`);
    return p;
  };
  const check = (id: PathId, checkId: string) => {
    const c = path(id).checks.find((x) => x.id === checkId);
    if (!c)
      throw new Error(
        `no check ${checkId} in ${id}: ${path(id)
          .checks.map((x) => x.id)
          .join(", ")}`,
      );
    return c;
  };
  return { facts, guest, a, path, check };
}
