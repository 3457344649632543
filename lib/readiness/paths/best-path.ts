// The best path per host (issue 13): the first of A, B, C whose verdict is ready or ready-with-warnings, in that
// order — A keeps the meaning ops asked about, B is the upstream way today, C only dedups after the fact. Other VMMs
// never become the best path: DAXboard judges Cloud Hypervisor hosts.
import type { PlatformState } from "../platform-state";
import { CORE_PATH_IDS, type CorePathId, type ZeroCopyPath } from "../types";

export type BestPath = { bestPath: CorePathId | null; bestPathReason: string };

const works = (p: ZeroCopyPath) => p.verdict === "ready" || p.verdict === "ready-with-warnings";

export function chooseBestPath(paths: readonly ZeroCopyPath[], platform: PlatformState): BestPath {
  const core = CORE_PATH_IDS.map((id) => paths.find((p) => p.id === id)).filter((p): p is ZeroCopyPath => !!p);
  const best = core.find(works);
  if (best)
    return { bestPath: best.id as CorePathId, bestPathReason: `${best.title} (${best.verdict}): ${best.summary}` };
  // Not arm64, a platform FAIL or too little known: every path says the same, so say it once.
  if (platform !== "ok" && core[0])
    return { bestPath: null, bestPathReason: `no zero-copy path — ${core[0].checks[0].reason}` };
  const each = core.map((p) => `${p.title}: ${p.verdict} (${p.summary})`);
  return { bestPath: null, bestPathReason: `no zero-copy path works yet — ${each.join("; ")}` };
}
