import { getDb } from "../db";
import type { Facts } from "../probe/types";
import { RULES_VERSION, type GuestProfile } from "../readiness";
import { assessFacts, type StoredAssessment } from "./derive";
import { loadGuestProfile } from "./guest-profile";

export type ReassessOptions = { onlyOutdatedRulesVersion?: boolean; profile?: GuestProfile; batchSize?: number };
export type ReassessResult = { hosts: number; verdictChanged: number; durationMs: number };

type Row = { scanId: string; hostId: string; verdict: string | null; facts: Facts; parseWarnings: unknown };

// Facts are collected, verdicts are derived: recompute every host's current assessment from its stored facts
// (after a guest-profile change or a rules upgrade), no rescan. Batches keyset on the scan id; each batch is
// two UPDATE ... FROM unnest statements. A host whose current scan changed meanwhile (a new scan landed) is left
// alone: the new scan was assessed with the new profile already.
export async function reassessFleet(options: ReassessOptions = {}): Promise<ReassessResult> {
  const started = Date.now();
  const profile = options.profile ?? (await loadGuestProfile());
  const batchSize = options.batchSize ?? 500;
  const onlyOutdated = options.onlyOutdatedRulesVersion ?? false;
  const db = getDb();
  let after = "";
  let hosts = 0;
  let verdictChanged = 0;
  for (;;) {
    const rows = await db.$queryRaw<Row[]>`
      select s.id as "scanId", h.id as "hostId", s.verdict, s.facts, s.assessment->'parseWarnings' as "parseWarnings"
      from "Host" h join "Scan" s on s.id = h."currentScanId"
      where s.facts is not null and s.id > ${after}
        and (${!onlyOutdated} or s."rulesVersion" is distinct from ${RULES_VERSION})
      order by s.id
      limit ${batchSize}`;
    if (!rows.length) break;
    after = rows[rows.length - 1].scanId;
    const derived = rows.map((r) => {
      const warnings = Array.isArray(r.parseWarnings) ? (r.parseWarnings as string[]) : [];
      return assessFacts(r.facts, profile, warnings);
    });
    verdictChanged += rows.filter((r, i) => r.verdict !== derived[i].verdict).length;
    await db.$transaction([
      db.$executeRaw`
        update "Scan" s set assessment = v.assessment, verdict = v.verdict, "rulesVersion" = ${RULES_VERSION}
        from unnest(${rows.map((r) => r.scanId)}::text[], ${derived.map((d) => JSON.stringify(d.assessment satisfies StoredAssessment))}::jsonb[],
                    ${derived.map((d) => d.verdict)}::text[]) as v(id, assessment, verdict)
        where s.id = v.id`,
      db.$executeRaw`
        update "Host" h set verdict = v.verdict, product = v.product, core = v.core, "pageSize" = v."pageSize",
          "chVersion" = v."chVersion", "platformClass" = v."platformClass", "kernelRelease" = v."kernelRelease"
        from unnest(${rows.map((r) => r.hostId)}::text[], ${rows.map((r) => r.scanId)}::text[], ${derived.map((d) => d.verdict)}::text[],
                    ${derived.map((d) => d.summary.product)}::text[], ${derived.map((d) => d.summary.core)}::text[],
                    ${derived.map((d) => d.summary.pageSize)}::int[], ${derived.map((d) => d.summary.chVersion)}::text[],
                    ${derived.map((d) => d.summary.platformClass)}::text[], ${derived.map((d) => d.summary.kernelRelease)}::text[])
          as v(id, "scanId", verdict, product, core, "pageSize", "chVersion", "platformClass", "kernelRelease")
        where h.id = v.id and h."currentScanId" = v."scanId"`,
    ]);
    hosts += rows.length;
    if (rows.length < batchSize) break;
  }
  return { hosts, verdictChanged, durationMs: Date.now() - started };
}
