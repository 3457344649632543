// Checks, verdicts and the assessment (DOMAIN.md §4).
import type { OtherVmmId } from "../probe/types";
import type { CacheSizeRecommendation } from "./cache-size";

export type CheckStatus = "PASS" | "WARN" | "FAIL" | "UNKNOWN" | "INFO";

// "path": a check that belongs to one zero-copy path (Assessment.paths[].checks), not to the virtio-fs DAX verdict.
export type CheckGroup = "platform" | "stack" | "guest" | "path";

export type Evidence = { fact: string; value: string | null; section: string | null };

export type Check = {
  id: string; // stable: stored with every assessment and used by the UI
  rule: number | null; // DOMAIN.md §4 rule number; null for the §7 path checks
  group: CheckGroup;
  title: string;
  status: CheckStatus;
  evidence: Evidence[];
  reason: string;
  remediation: string | null;
  source: string; // URL of the fact the rule rests on
};

export type Verdict = "ready" | "ready-with-warnings" | "platform-ready" | "not-ready" | "unknown" | "n/a";

// Zero-copy paths (DOMAIN.md §7): every way this host could share one copy of libraries and models across
// microVMs. Ids are part of the contract scripts read (`npm run assess -- --json`, the host API, exports).
export const CORE_PATH_IDS = ["virtiofs-dax", "pmem-dax", "ksm"] as const;
export type CorePathId = (typeof CORE_PATH_IDS)[number];
// Other VMMs found on the host get one informational path each, named by the VMM.
export type PathId = CorePathId | OtherVmmId;

export type PathVerdict = "ready" | "ready-with-warnings" | "blocked" | "unknown" | "n/a";

// Paste-ready configuration: commands for the host (CH arguments, image preparation), for the guest (mount), and
// notes that must travel with them (the write caveat, cgroup advice).
export type PathConfig = { host: string[]; guest: string[]; notes: string[] };

export type ZeroCopyPath = {
  id: PathId;
  title: string; // "virtio-pmem + DAX filesystem"
  verdict: PathVerdict;
  summary: string; // one line: what works or what blocks it
  checks: Check[];
  config: PathConfig | null; // null when there is nothing sensible to paste (blocked before any config applies)
};

export type Assessment = {
  verdict: Verdict;
  checks: Check[];
  cacheSize: CacheSizeRecommendation | null;
  stackDaxCapable: boolean;
  paths: ZeroCopyPath[]; // always virtiofs-dax, pmem-dax, ksm in that order, then one per other VMM found
  bestPath: CorePathId | null; // the first of A, B, C whose verdict is ready or ready-with-warnings
  bestPathReason: string; // why that path, or why none
  rulesVersion: string;
};
