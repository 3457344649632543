// What every zero-copy path shares (DOMAIN.md §7): its inputs, the base of a path check, and how a path's checks
// become its verdict and one-line summary.
import type { Facts } from "../../probe/types";
import type { CacheSizeRecommendation } from "../cache-size";
import type { GuestKconfig } from "../guest-config";
import type { GuestProfile } from "../guest-profile";
import type { PlatformState } from "../platform-state";
import type { Check, Evidence, PathConfig, PathId, PathVerdict, ZeroCopyPath } from "../types";

export type PathContext = {
  facts: Facts;
  guest: GuestProfile;
  guestKconfig: GuestKconfig | null; // the uploaded guest .config, parsed once
  platform: readonly Check[]; // rules 1–9
  platformState: PlatformState;
  stack: readonly Check[]; // rules 10–12
  guestChecks: readonly Check[]; // rule 13 and the window check
  cacheSize: CacheSizeRecommendation | null;
};

export function pathBase(id: string, title: string, source: string, evidence: Evidence[] = []) {
  return { id, rule: null, group: "path", title, evidence, source } as const;
}

// blocked on any FAIL (a platform FAIL reaches every path through its platform check), unknown when a deciding
// check is UNKNOWN (checks that do not decide a path say INFO instead), ready-with-warnings on any WARN.
export function pathVerdict(platform: PlatformState, checks: readonly Check[]): PathVerdict {
  if (platform === "n/a") return "n/a";
  if (checks.some((c) => c.status === "FAIL")) return "blocked";
  if (checks.some((c) => c.status === "UNKNOWN")) return "unknown";
  return checks.some((c) => c.status === "WARN") ? "ready-with-warnings" : "ready";
}

function summarize(verdict: PathVerdict, checks: readonly Check[], readySummary: string): string {
  const firstWith = (s: Check["status"]) => checks.find((c) => c.status === s);
  switch (verdict) {
    case "n/a":
      return checks[0]?.reason ?? "not applicable";
    case "blocked": {
      const fail = firstWith("FAIL");
      return fail ? `${fail.title}: ${fail.reason}` : "blocked";
    }
    case "unknown": {
      const u = firstWith("UNKNOWN");
      return u ? `${u.title}: ${u.reason}` : "not enough facts";
    }
    case "ready-with-warnings":
      return `${readySummary}; warnings: ${checks
        .filter((c) => c.status === "WARN")
        .map((c) => c.title)
        .join(", ")}`;
    case "ready":
      return readySummary;
  }
}

type PathInput = {
  id: PathId;
  title: string;
  checks: Check[]; // the path's platform check first (its reason is the n/a summary)
  readySummary: string; // what works, said when nothing blocks the path
  config: PathConfig | null;
};

export function makePath(ctx: PathContext, p: PathInput): ZeroCopyPath {
  const verdict = pathVerdict(ctx.platformState, p.checks);
  // Nothing sensible to paste where no microVM can run (not arm64, or a platform FAIL).
  const platformBlocked = ctx.platformState === "n/a" || ctx.platformState === "fail";
  return {
    id: p.id,
    title: p.title,
    verdict,
    summary: summarize(verdict, p.checks, p.readySummary),
    checks: p.checks,
    config: platformBlocked ? null : p.config,
  };
}
