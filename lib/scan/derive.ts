import { normalizeStoredFacts, parsedFacts, parseProbeDocument } from "../probe";
import type { Facts } from "../probe/types";
import { assess, RULES_VERSION, toAssessmentReport, type AssessmentReport, type GuestProfile } from "../readiness";
import { ScanError } from "../ssh/errors";

export type HostSummary = {
  product: string | null;
  core: string | null;
  pageSize: number | null;
  chVersion: string | null;
  platformClass: string | null;
  kernelRelease: string | null;
  bestPath: string | null;
};

export type StoredAssessment = AssessmentReport & { parseWarnings: string[] };

export type Derived = {
  // The probe output cleaned of what PostgreSQL refuses (NUL, lone surrogates): what the scan stores.
  rawOutput: string;
  facts: Facts;
  assessment: StoredAssessment;
  rulesVersion: string;
  verdict: string;
  summary: HostSummary;
};

// The host columns the fleet table filters and sorts on, taken from the stable report.
export function summarize(report: AssessmentReport): HostSummary {
  const ch = report.facts.cloudHypervisor;
  const cores = [...new Set(report.facts.cpus.map((c) => c.core).filter((c): c is string => Boolean(c)))];
  return {
    product: report.facts.product,
    core: cores.length ? cores.join(" + ") : null,
    pageSize: report.facts.pageSize,
    chVersion: ch ? (ch.found ? ch.version : "none") : null,
    platformClass: report.facts.platformClass,
    kernelRelease: report.facts.kernelRelease,
    bestPath: report.bestPath,
  };
}

// Facts are collected, verdicts are derived: the same function serves new scans and re-assessment.
export function assessFacts(facts: Facts, profile: GuestProfile, parseWarnings: string[] = []) {
  const report = toAssessmentReport(facts, assess(facts, profile));
  const assessment: StoredAssessment = { ...report, parseWarnings };
  return { assessment, verdict: report.verdict, rulesVersion: RULES_VERSION, summary: summarize(report) };
}

// Raw probe output → facts + assessment. Output that is not a probe document (or answers another run's token)
// is a parse-failed scan, never facts.
export function deriveFromProbe(raw: string, profile: GuestProfile, expectedToken: string | null): Derived {
  const doc = parseProbeDocument(raw);
  if (doc.version === null) {
    throw new ScanError("parse-failed", "The output is not a DAXboard probe document (no `daxboard-probe 1` header).", {
      cause: doc.warnings.slice(0, 3).join("; "),
    });
  }
  if (expectedToken !== null && doc.token !== expectedToken) {
    throw new ScanError("parse-failed", "The probe document carries a different boundary token than this scan sent.");
  }
  const { facts, warnings } = parsedFacts(doc);
  return { rawOutput: doc.cleanText, facts, ...assessFacts(facts, profile, warnings) };
}

// Facts for a re-derivation under new rules: re-parsed from the stored raw output when there is one, so a parser
// fix (and a fact collected by a newer probe section the old parser skipped) reaches stored hosts without a
// rescan; else the stored facts, with facts they predate filled in as not collected.
export function refreshFacts(
  rawOutput: string | null,
  storedFacts: unknown,
  storedWarnings: string[],
): { facts: Facts; warnings: string[]; reparsed: boolean } {
  if (rawOutput) {
    const doc = parseProbeDocument(rawOutput);
    if (doc.version !== null) return { ...parsedFacts(doc), reparsed: true };
  }
  return { facts: normalizeStoredFacts(storedFacts), warnings: storedWarnings, reparsed: false };
}

type DriftKeys = { pageSize: unknown; kernel: unknown; chVersion: unknown; virtiofsd: unknown };

const known = (fact: unknown): unknown => {
  const f = fact as { known?: boolean; value?: unknown } | undefined;
  return f?.known ? f.value : null;
};

// The facts whose change between two good scans is drift (issue 5 §3), read from stored Facts JSON.
export function driftKeysOf(facts: unknown): DriftKeys {
  const f = (facts ?? {}) as Record<string, unknown>;
  const ch = known(f.cloudHypervisor) as {
    found?: boolean;
    version?: { major: number; minor: number; patch: number | null; suffix: string | null } | null;
  } | null;
  const v = ch?.version;
  const daemons =
    (known(f.virtiofsd) as { path: string; flavour: string; raw?: string; version?: unknown }[] | null) ?? [];
  return {
    pageSize: known(f.pageSize),
    kernel: known(f.kernelRelease),
    chVersion: ch
      ? ch.found && v
        ? `v${v.major}.${v.minor}${v.patch === null ? "" : `.${v.patch}`}${v.suffix ?? ""}`
        : ch.found
          ? "unknown"
          : "none"
      : null,
    virtiofsd: daemons.map((d) => `${d.path} ${d.flavour} ${JSON.stringify(d.version ?? null)}`).sort(),
  };
}
