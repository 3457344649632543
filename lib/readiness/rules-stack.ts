// Software-stack rules 10–12 (DOMAIN.md §1, §4): can the installed VMM + daemon
// actually create a DAX window? CH ≥ v25 and virtiofsd ≥ 1.13 cannot.
import type { ChVersion, Facts, VirtiofsdInfo } from "../probe/types";
import { check, evidence, prose, unknownText } from "./check";
import { SOURCES } from "./sources";
import type { Check } from "./types";

const chText = (v: ChVersion) => `v${v.major}.${v.minor}${v.patch === null ? "" : `.${v.patch}`}${v.suffix ?? ""}`;

export function ruleCloudHypervisor(f: Facts): Check {
  const ch = f.cloudHypervisor;
  const base = {
    id: "stack.cloud-hypervisor",
    rule: 10,
    group: "stack",
    title: "Cloud Hypervisor",
    evidence: [
      evidence("cloudHypervisor", ch, (v) =>
        v.found ? `${v.path ?? "?"}: ${v.versionText ?? "version unreadable"}; help dax=${v.daxOption}` : "not found",
      ),
    ],
    source: SOURCES.chDaxRemoved,
  } as const;
  if (!ch.known)
    return check({ ...base, status: "UNKNOWN", reason: `Cloud Hypervisor not checked: ${unknownText(ch)}` });
  if (!ch.value.found)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: "Cloud Hypervisor not installed (searched PATH, /usr/local/bin, /usr/bin, /opt/*/bin)",
      remediation: "install Cloud Hypervisor to judge the stack",
    });
  const { version, daxOption } = ch.value;
  if (daxOption === true && (version === null || version.suffix !== null || version.major >= 25))
    return check({
      ...base,
      status: "WARN",
      reason: prose`custom build${version ? ` (${chText(version)})` : ""} whose --help offers dax=/cache_size=:
        verify it really creates a DAX window (upstream removed DAX in v25.0)`,
      remediation: "boot a guest and check dmesg for 'Cache len' (see the guest guidance)",
    });
  if (version === null)
    return check({
      ...base,
      status: daxOption === false ? "FAIL" : "UNKNOWN",
      reason:
        daxOption === false
          ? "version unreadable and --fs offers no dax= option: this build cannot create a DAX window"
          : "version unreadable",
      source: SOURCES.chDaxRemoved,
    });
  const v = chText(version);
  if (version.major >= 25)
    return check({
      ...base,
      status: "FAIL",
      reason: prose`CH ${v} has no DAX: dax=/cache_size= were removed in v25.0 (2022); the common claim that
        CH v26+ supports DAX on arm64 is wrong`,
      remediation: prose`for DAX use the legacy pair CH ≤ v22.1 + virtiofsd ≤ 1.12, a DAX-patched fork, or another
        VMM (crosvm, Dragonball); otherwise run virtio-fs without DAX`,
    });
  const ignored = daxOption ? " (the option in --help is ignored)" : "";
  if (version.major >= 23)
    return check({
      ...base,
      status: "FAIL",
      reason: prose`CH ${v} accepts dax=/cache_size= but silently forces DAX off${ignored}
        (deprecated in v23.0, issue #3889)`,
      remediation: "DAX needs CH ≤ v22.1",
      source: SOURCES.chDaxDeprecated,
    });
  return check({
    ...base,
    status: "WARN",
    reason: prose`CH ${v}: DAX works (--fs …,dax=on,cache_size=…) but this release is unmaintained since 2022
      (legacy stack)`,
    remediation: "pair it with Rust virtiofsd ≤ 1.12; track security fixes yourself",
    source: SOURCES.chFsDoc,
  });
}

const legacyRust = (d: VirtiofsdInfo) =>
  d.flavour === "rust" &&
  d.version !== null &&
  (d.version.major < 1 || (d.version.major === 1 && d.version.minor <= 12));

export function ruleVirtiofsd(f: Facts): Check {
  const d = f.virtiofsd;
  const base = {
    id: "stack.virtiofsd",
    rule: 11,
    group: "stack",
    title: "virtiofsd",
    evidence: [
      evidence(
        "virtiofsd",
        d,
        (list) => list.map((x) => `${x.path}: ${x.versionText ?? "?"} (${x.flavour})`).join("; ") || "not found",
      ),
    ],
    source: SOURCES.virtiofsdHistory,
  } as const;
  if (!d.known) return check({ ...base, status: "UNKNOWN", reason: `virtiofsd not checked: ${unknownText(d)}` });
  if (d.value.length === 0)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: "virtiofsd not installed",
      remediation: "install virtiofsd to judge the stack",
    });
  const legacy = d.value.find(legacyRust);
  if (legacy)
    return check({
      ...base,
      status: "WARN",
      reason: prose`Rust virtiofsd ${legacy.versionText} (${legacy.path}): legacy DAX path,
        pairs only with CH ≤ v22`,
      remediation: "keep it only for a legacy CH ≤ v22.1 stack",
    });
  const rust = d.value.find((x) => x.flavour === "rust");
  if (rust)
    return check({
      ...base,
      status: "FAIL",
      reason: prose`Rust virtiofsd ${rust.versionText}: 1.13.0+ answers DAX map requests with ENOSYS
        (--allow-mmap is not DAX)`,
      remediation: "DAX needs virtiofsd ≤ 1.12 with CH ≤ v22.1",
    });
  const c = d.value.find((x) => x.flavour === "c-qemu");
  if (c)
    return check({
      ...base,
      status: "FAIL",
      reason: prose`C virtiofsd (QEMU's, ${c.versionText}): removed in QEMU 8.0, and upstream QEMU never
        implemented the DAX window`,
      remediation: "use the Rust virtiofsd",
      source: SOURCES.qemuRemoved,
    });
  return check({ ...base, status: "UNKNOWN", reason: "virtiofsd found but its version is unreadable" });
}

export function isDaxCapableStack(f: Facts): boolean {
  const ch = f.cloudHypervisor;
  if (!ch.known || !ch.value.found || ch.value.version === null) return false;
  const v = ch.value.version;
  const chOk = v.major <= 22 && v.suffix === null;
  return chOk && f.virtiofsd.known && f.virtiofsd.value.some(legacyRust);
}

export function ruleStackPair(f: Facts): Check {
  const base = {
    id: "stack.dax-pair",
    rule: 12,
    group: "stack",
    title: "DAX-capable VMM + daemon",
    evidence: [
      evidence("cloudHypervisor", f.cloudHypervisor, (v) => (v.found ? (v.versionText ?? "?") : "not found")),
      evidence("virtiofsd", f.virtiofsd, (l) => l.map((x) => x.versionText ?? "?").join("; ") || "not found"),
    ],
    source: SOURCES.chDaxRemoved,
  } as const;
  if (isDaxCapableStack(f))
    return check({ ...base, status: "PASS", reason: "legacy DAX-capable pair: CH ≤ v22 with Rust virtiofsd ≤ 1.12" });
  if (!f.cloudHypervisor.known || !f.virtiofsd.known)
    return check({ ...base, status: "UNKNOWN", reason: "the VMM or the daemon was not checked" });
  return check({
    ...base,
    status: "FAIL",
    reason: prose`no DAX-capable VMM + daemon pair: DAX needs CH ≤ v22.1 with Rust virtiofsd ≤ 1.12
      (or a build verified as DAX-capable)`,
    remediation: prose`run virtio-fs without DAX, deploy the legacy pair, or consider crosvm / Dragonball /
      virtio-pmem + erofs`,
  });
}
