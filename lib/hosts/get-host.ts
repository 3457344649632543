import { getDb } from "../db";
import { notFound } from "../api/errors";
import type { AssessmentReport } from "../readiness";
import { hostSelect, toHostDto } from "./host-dto";

type StoredPaths = Partial<Pick<AssessmentReport, "paths" | "bestPathReason">>;

// One host with the zero-copy paths of its current assessment (issue 13: the host API carries `paths`, scripts read
// them without fetching the scan). A host never scanned, or last assessed before paths existed, has `paths: []`.
export async function getHost(id: string) {
  const db = getDb();
  const host = await db.host.findUnique({ where: { id }, select: hostSelect });
  if (!host) throw notFound("Host");
  const stored = host.currentScanId
    ? await db.$queryRaw<{ paths: StoredPaths["paths"] | null; reason: string | null }[]>`
        select assessment->'paths' as paths, assessment->>'bestPathReason' as reason
        from "Scan" where id = ${host.currentScanId}`
    : [];
  return {
    ...toHostDto(host),
    bestPathReason: stored[0]?.reason ?? null,
    paths: stored[0]?.paths ?? [],
  };
}
