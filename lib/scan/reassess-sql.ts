import { Prisma } from "../generated/prisma/client";
import { RULES_VERSION } from "../readiness";
import type { Facts } from "../probe/types";
import type { assessFacts, StoredAssessment } from "./derive";

export type ReassessRow = {
  scanId: string;
  hostId: string;
  tags: string[];
  verdict: string | null;
  facts: unknown;
  parseWarnings: unknown;
  rawOutput: string | null;
};

// A row's new assessment; `facts` is set only when they were re-parsed from the raw output (a rules upgrade).
export type RowResult = ReturnType<typeof assessFacts> & { facts: Facts | null; guestProfileId: string };

// The two statements that store one batch: the scans' assessments (and re-parsed facts), then the host summary
// columns, each one UPDATE ... FROM unnest of array parameters. The host update applies only while the scan is
// still the host's current one; a profile deleted meanwhile is stored as null.
export function reassessBatchSql(rows: ReassessRow[], derived: RowResult[]): Prisma.Sql[] {
  const col = <T>(pick: (d: RowResult) => T) => derived.map(pick);
  const assessments = col((d) => JSON.stringify(d.assessment satisfies StoredAssessment));
  const facts = col((d) => (d.facts ? JSON.stringify(d.facts) : null));
  const scans = Prisma.sql`
    update "Scan" s set assessment = v.assessment, "assessmentKey" = v.key, verdict = v.verdict,
      "rulesVersion" = ${RULES_VERSION}, facts = coalesce(v.facts, s.facts)
    from unnest(${rows.map((r) => r.scanId)}::text[], ${assessments}::jsonb[], ${col((d) => d.assessmentKey)}::text[],
                ${col((d) => d.verdict)}::text[], ${facts}::jsonb[]) as v(id, assessment, key, verdict, facts)
    where s.id = v.id`;
  const summary = (pick: (s: RowResult["summary"]) => string | number | null) => col((d) => pick(d.summary));
  const hosts = Prisma.sql`
    update "Host" h set verdict = v.verdict, product = v.product, core = v.core, "pageSize" = v."pageSize",
      "chVersion" = v."chVersion", "platformClass" = v."platformClass", "kernelRelease" = v."kernelRelease",
      "bestPath" = v."bestPath", "guestProfileId" = (select p.id from "GuestProfile" p where p.id = v."guestProfileId")
    from unnest(${rows.map((r) => r.hostId)}::text[], ${rows.map((r) => r.scanId)}::text[],
                ${col((d) => d.verdict)}::text[], ${summary((s) => s.product)}::text[], ${summary((s) => s.core)}::text[],
                ${summary((s) => s.pageSize)}::int[], ${summary((s) => s.chVersion)}::text[],
                ${summary((s) => s.platformClass)}::text[], ${summary((s) => s.kernelRelease)}::text[],
                ${summary((s) => s.bestPath)}::text[], ${col((d) => d.guestProfileId)}::text[])
      as v(id, "scanId", verdict, product, core, "pageSize", "chVersion", "platformClass", "kernelRelease",
           "bestPath", "guestProfileId")
    where h.id = v.id and h."currentScanId" = v."scanId"`;
  return [scans, hosts];
}
