// Checks, verdicts and the assessment (DOMAIN.md §4).
import type { CacheSizeRecommendation } from "./cache-size";

export type CheckStatus = "PASS" | "WARN" | "FAIL" | "UNKNOWN" | "INFO";

export type CheckGroup = "platform" | "stack" | "guest";

export type Evidence = { fact: string; value: string | null; section: string | null };

export type Check = {
  id: string; // stable: stored with every assessment and used by the UI
  rule: number; // DOMAIN.md §4 rule number
  group: CheckGroup;
  title: string;
  status: CheckStatus;
  evidence: Evidence[];
  reason: string;
  remediation: string | null;
  source: string; // URL of the fact the rule rests on
};

export type Verdict = "ready" | "ready-with-warnings" | "platform-ready" | "not-ready" | "unknown" | "n/a";

export type Assessment = {
  verdict: Verdict;
  checks: Check[];
  cacheSize: CacheSizeRecommendation | null;
  stackDaxCapable: boolean;
  rulesVersion: string;
};
