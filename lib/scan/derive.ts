import { createHash } from "node:crypto";
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
  assessmentKey: string;
  rulesVersion: string;
  verdict: string;
  summary: HostSummary;
};

// A rescan whose facts judge exactly as its host's current scan's did: the assessment is copied from that scan
// (`reuse.scanId`) in the database instead of being judged, serialized and sent again. `derive` judges in full,
// for when the copy cannot be made (that scan was re-assessed or replaced meanwhile).
export type ReusedDerivation = {
  rawOutput: string;
  facts: Facts;
  assessmentKey: string;
  reuse: { scanId: string; verdict: string };
  derive: () => Derived;
};

// The host's current scan as a rescan's derivation sees it.
export type CurrentJudgement = { scanId: string; assessmentKey: string | null; verdict: string | null };

// Everything an assessment is a function of: the rules version, the guest profile, the parse warnings and the
// facts. The probe's run time differs on every run and no rule reads its value, so only whether it is known counts
// (the report lists unknown facts with their reason). Equal keys mean equal assessments, so a rules change must bump
// RULES_VERSION, as it must already for stored hosts to be re-judged.
export function judgementKey(facts: Facts, profile: GuestProfile, parseWarnings: readonly string[]): string {
  const { probeRuntimeMs, ...judged } = facts;
  const runtime = probeRuntimeMs?.known ? "known" : (probeRuntimeMs ?? null);
  return createHash("sha256")
    .update(JSON.stringify([RULES_VERSION, profileDigest(profile), parseWarnings, runtime, judged]))
    .digest("base64url");
}

// A profile can carry a guest kernel .config of hundreds of kilobytes: it is hashed once per profile object (the
// worker's profile set keeps the same objects until a profile changes), not once per scan.
const profileDigests = new WeakMap<GuestProfile, string>();
function profileDigest(profile: GuestProfile): string {
  let digest = profileDigests.get(profile);
  if (!digest) {
    digest = createHash("sha256").update(JSON.stringify(profile)).digest("base64url");
    profileDigests.set(profile, digest);
  }
  return digest;
}

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

// Facts are collected, verdicts are derived: the same function serves new scans and re-assessment. A caller that
// already computed the judgement key passes it in.
export function assessFacts(
  facts: Facts,
  profile: GuestProfile,
  parseWarnings: string[] = [],
  assessmentKey = judgementKey(facts, profile, parseWarnings),
) {
  const report = toAssessmentReport(facts, assess(facts, profile));
  const assessment: StoredAssessment = { ...report, parseWarnings };
  return {
    assessment,
    assessmentKey,
    verdict: report.verdict,
    rulesVersion: RULES_VERSION,
    summary: summarize(report),
  };
}

// Raw probe output → facts + assessment. Output that is not a probe document (or answers another run's token)
// is a parse-failed scan, never facts.
export function deriveFromProbe(raw: string, profile: GuestProfile, expectedToken: string | null): Derived {
  const { rawOutput, facts, warnings } = readProbe(raw, expectedToken);
  return { rawOutput, facts, ...assessFacts(facts, profile, warnings) };
}

// A scan's derivation: like deriveFromProbe, except that facts judging exactly as the host's current scan's did
// (same judgementKey) reuse its assessment. Most rescans of a steady fleet find nothing changed.
export function deriveRescan(
  raw: string,
  profile: GuestProfile,
  expectedToken: string | null,
  current: CurrentJudgement | null,
): Derived | ReusedDerivation {
  const { rawOutput, facts, warnings } = readProbe(raw, expectedToken);
  const assessmentKey = judgementKey(facts, profile, warnings);
  const derive = (): Derived => ({ rawOutput, facts, ...assessFacts(facts, profile, warnings, assessmentKey) });
  if (current?.verdict && current.assessmentKey === assessmentKey)
    return { rawOutput, facts, assessmentKey, reuse: { scanId: current.scanId, verdict: current.verdict }, derive };
  return derive();
}

export const isReused = (d: Derived | ReusedDerivation): d is ReusedDerivation => "reuse" in d;

function readProbe(raw: string, expectedToken: string | null): { rawOutput: string; facts: Facts; warnings: string[] } {
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
  return { rawOutput: doc.cleanText, facts, warnings };
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

// The stored facts driftKeysOf reads, selected in SQL from a scan aliased `alias` (the worker's claim reads only
// these instead of a host's whole facts).
export const driftFactsSql = (alias: string) =>
  `jsonb_build_object('pageSize', ${alias}.facts->'pageSize', 'kernelRelease', ${alias}.facts->'kernelRelease',
    'cloudHypervisor', ${alias}.facts->'cloudHypervisor', 'virtiofsd', ${alias}.facts->'virtiofsd')`;

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
