// The stable JSON shape of an assessment (CLI --json, database, CSV export) and
// the plain-words headline the UI shows. Unknown values are null, never guessed.
import type { ChVersion, Fact, Facts } from "../probe/types";
import type { CacheSizeLimit } from "./cache-size";
import type {
  Assessment,
  Check,
  CheckStatus,
  CorePathId,
  Evidence,
  PathConfig,
  PathId,
  PathVerdict,
  Verdict,
} from "./types";

export type ReportCheck = {
  id: string;
  title: string;
  status: CheckStatus;
  reason: string;
  remediation: string | null;
  source: string;
  evidence: Evidence[];
};

export type AssessmentReport = {
  facts: {
    arch: string | null;
    kernelRelease: string | null;
    pageSize: number | null;
    cpus: Array<{ implementer: string; part: string | null; core: string | null; count: number | null }>;
    cpuCount: number | null;
    product: string | null;
    productCandidates: string[];
    platformClass: string | null;
    bootMethod: "acpi" | "dt" | null;
    gic: number | null;
    kvm: { present: boolean; readable: boolean | null; writable: boolean | null } | null;
    ipaBits: number | null;
    fwb: boolean | null;
    virtualized: boolean | null;
    os: string | null;
    memTotalKiB: number | null;
    cloudHypervisor: { found: boolean; path: string | null; version: string | null; daxOption: boolean | null } | null;
    virtiofsd: Array<{ path: string; flavour: string; version: string | null }>;
    unknown: Record<string, string>; // fact → why it is unknown
  };
  checks: ReportCheck[];
  verdict: Verdict;
  headline: string;
  cacheSize: {
    bytes: number;
    human: string;
    limitedBy: CacheSizeLimit;
    explanation: string;
    forDaxCapableVmm: boolean;
    chArgument: string;
    kataSetting: string;
    warning: string | null;
  } | null;
  // DOMAIN.md §7: one entry per zero-copy path, and the best of A, B, C (issue 13). The contract scripts read.
  paths: Array<{
    id: PathId;
    title: string;
    verdict: PathVerdict;
    summary: string;
    checks: ReportCheck[];
    config: PathConfig | null;
  }>;
  bestPath: CorePathId | null;
  bestPathReason: string;
  rulesVersion: string;
};

const val = <T, R>(f: Fact<T>, map: (v: T) => R): R | null => (f.known ? map(f.value) : null);

export function chVersionText(v: ChVersion): string {
  return `v${v.major}.${v.minor}${v.patch === null ? "" : `.${v.patch}`}${v.suffix ?? ""}`;
}

export function toAssessmentReport(facts: Facts, assessment: Assessment): AssessmentReport {
  const unknownFacts: Record<string, string> = {};
  for (const [name, f] of Object.entries(facts)) {
    if (f && typeof f === "object" && "known" in f && !f.known) unknownFacts[name] = `${f.reason}: ${f.detail}`;
  }
  const c = assessment.cacheSize;
  return {
    facts: {
      arch: val(facts.arch, (v) => v),
      kernelRelease: val(facts.kernelRelease, (v) => v),
      pageSize: val(facts.pageSize, (v) => v),
      cpus: facts.cpus.known
        ? facts.cpus.value.map((g) => ({ implementer: g.implementer, part: g.part, core: g.core, count: g.count }))
        : [],
      cpuCount: val(facts.cpuCount, (v) => v),
      product: val(facts.product, (v) => v.name),
      productCandidates: facts.product.known ? facts.product.value.candidates : [],
      platformClass: val(facts.platformClass, (v) => v),
      bootMethod: val(facts.bootMethod, (v) => v),
      gic: val(facts.gic, (v) => v.version),
      kvm: val(facts.kvm, (v) => ({ ...v })),
      ipaBits: val(facts.ipaBits, (v) => v),
      fwb: val(facts.fwb, (v) => v),
      virtualized: val(facts.virtualized, (v) => v.virtualized),
      os: val(facts.os, (v) => v.prettyName ?? v.id),
      memTotalKiB: val(facts.memTotalKiB, (v) => v),
      cloudHypervisor: val(facts.cloudHypervisor, (v) =>
        v.found
          ? { found: true, path: v.path, version: v.version ? chVersionText(v.version) : null, daxOption: v.daxOption }
          : { found: false, path: null, version: null, daxOption: null },
      ),
      virtiofsd: facts.virtiofsd.known
        ? facts.virtiofsd.value.map((d) => ({
            path: d.path,
            flavour: d.flavour,
            version: d.version
              ? `${d.version.major}.${d.version.minor}${d.version.patch === null ? "" : `.${d.version.patch}`}`
              : null,
          }))
        : [],
      unknown: unknownFacts,
    },
    checks: assessment.checks.map(toReportCheck),
    verdict: assessment.verdict,
    headline: verdictHeadline(facts, assessment),
    cacheSize: c
      ? {
          bytes: c.bytes,
          human: c.human,
          limitedBy: c.limitedBy,
          explanation: c.explanation,
          forDaxCapableVmm: c.forDaxCapableVmm,
          chArgument: c.chArgument,
          kataSetting: c.kataSetting,
          warning: c.warning,
        }
      : null,
    paths: assessment.paths.map((p) => ({
      id: p.id,
      title: p.title,
      verdict: p.verdict,
      summary: p.summary,
      checks: p.checks.map(toReportCheck),
      config: p.config,
    })),
    bestPath: assessment.bestPath,
    bestPathReason: assessment.bestPathReason,
    rulesVersion: assessment.rulesVersion,
  };
}

function toReportCheck(k: Check): ReportCheck {
  return {
    id: k.id,
    title: k.title,
    status: k.status,
    reason: k.reason,
    remediation: k.remediation,
    source: k.source,
    evidence: k.evidence,
  };
}

const byId = (checks: Check[], id: string) => checks.find((c) => c.id === id);

/**
 * One line for the UI, e.g. "Platform ready — DAX blocked by the VMM: Cloud Hypervisor v41.0.0 has no DAX (removed
 * in v25.0)", followed by the best path when virtio-fs DAX is blocked and another path works.
 */
export function verdictHeadline(facts: Facts, a: Assessment): string {
  const checks = a.checks;
  switch (a.verdict) {
    case "n/a":
      return `Not applicable — ${facts.arch.known ? facts.arch.value : "non-arm64"} host (DAXboard judges arm64 hosts)`;
    case "not-ready": {
      const fail = checks.find((c) => c.group === "platform" && c.status === "FAIL");
      return `Not ready — ${fail ? fail.reason : "a platform check failed"}`;
    }
    case "unknown": {
      const u = checks.find((c) => c.group === "platform" && c.status === "UNKNOWN");
      return `Unknown — ${u ? u.reason : "not enough facts"}`;
    }
    case "ready":
    case "ready-with-warnings": {
      const size = a.cacheSize ? `; cache_size=${a.cacheSize.human}` : "";
      const head = a.verdict === "ready" ? "Ready" : "Ready with warnings";
      return `${head} — legacy DAX-capable stack (CH ≤ v22 + virtiofsd ≤ 1.12)${size}`;
    }
    case "platform-ready":
      return `Platform ready — ${stackBlocker(facts, checks)}${bestPathNote(a)}`;
  }
}

// Where virtio-fs DAX is blocked but another path works, the headline says so: that is the answer ops came for.
function bestPathNote(a: Assessment): string {
  const best = a.paths.find((p) => p.id === a.bestPath);
  if (!best || best.id === "virtiofs-dax") return "";
  return `; best path: ${best.title} (${best.verdict})`;
}

function stackBlocker(facts: Facts, checks: Check[]): string {
  const ch = facts.cloudHypervisor;
  const chCheck = byId(checks, "stack.cloud-hypervisor");
  if (ch.known && ch.value.found && chCheck?.status === "FAIL") {
    const v = ch.value.version;
    if (v && v.major >= 25)
      return `DAX blocked by the VMM: Cloud Hypervisor ${chVersionText(v)} has no DAX (removed in v25.0)`;
    if (v && v.major >= 23)
      return `DAX blocked by the VMM: Cloud Hypervisor ${chVersionText(v)} silently forces DAX off`;
    return "DAX blocked by the VMM: this Cloud Hypervisor build offers no DAX option";
  }
  if (!ch.known) return "software stack not checked";
  if (!ch.value.found) return "no Cloud Hypervisor installed (a DAX window needs CH ≤ v22.1 + virtiofsd ≤ 1.12)";
  const vf = byId(checks, "stack.virtiofsd");
  if (vf?.status === "FAIL") return `DAX blocked by the daemon: ${vf.reason}`;
  if (vf?.status === "UNKNOWN") return `DAX not possible yet: ${vf.reason}`;
  const guest = checks.find((c) => c.group === "guest" && c.status === "FAIL");
  if (guest) return `DAX blocked by the guest: ${guest.reason}`;
  if (chCheck?.status === "WARN") return `DAX unverified: ${chCheck.reason}`;
  return "no DAX-capable VMM + daemon pair";
}
