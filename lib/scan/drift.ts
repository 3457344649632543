import { driftKeysOf } from "./derive";

export type DriftEntry = { field: string; from: unknown; to: unknown };

// What changed between two successful scans, in the facts ops care about (issue 5 §3): page size, kernel,
// Cloud Hypervisor version, virtiofsd, and the verdict.
export function diffDrift(
  previous: { facts: unknown; verdict: string | null },
  next: { facts: unknown; verdict: string },
): DriftEntry[] {
  const before = driftKeysOf(previous.facts);
  const after = driftKeysOf(next.facts);
  const entries: DriftEntry[] = [];
  for (const field of Object.keys(after) as (keyof typeof after)[]) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      entries.push({ field, from: before[field], to: after[field] });
  }
  if (previous.verdict !== next.verdict) entries.push({ field: "verdict", from: previous.verdict, to: next.verdict });
  return entries;
}
