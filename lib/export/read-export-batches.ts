import { getDb } from "../db";
import { Prisma } from "../generated/prisma/client";
import { hostWhere, type HostFilter } from "../hosts/list-hosts";
import type { PathId, PathVerdict } from "../readiness/types";
import type { AssessmentReport } from "../readiness/report";

export const EXPORT_BATCH = 1000;

const hostColumns = {
  id: true,
  name: true,
  address: true,
  port: true,
  username: true,
  tags: true,
  verdict: true,
  platformClass: true,
  product: true,
  lastScanAt: true,
  lastScanStatus: true,
  lastErrorClass: true,
  stale: true,
  currentScanId: true,
} satisfies Prisma.HostSelect;

export type ExportHost = Prisma.HostGetPayload<{ select: typeof hostColumns }>;

// The parts of the current scan's AssessmentReport an export row needs, cut out by PostgreSQL so the evidence
// (most of the JSON) never leaves the database.
export type ExportScan = {
  id: string;
  facts: Pick<
    AssessmentReport["facts"],
    | "arch"
    | "kernelRelease"
    | "pageSize"
    | "cpus"
    | "cpuCount"
    | "ipaBits"
    | "gic"
    | "kvm"
    | "cloudHypervisor"
    | "virtiofsd"
  > | null;
  cacheBytes: number | null;
  cacheHuman: string | null;
  failing: string[];
  warning: string[];
  bestPath: string | null;
  // Every zero-copy path's verdict ({} for an assessment made before issue 13).
  paths: Partial<Record<PathId, PathVerdict>>;
};

export type ExportBatchRow = { host: ExportHost; scan: ExportScan | null };

async function readScans(ids: string[]): Promise<Map<string, ExportScan>> {
  if (!ids.length) return new Map();
  const rows = await getDb().$queryRaw<ExportScan[]>`
    select s.id,
      (s.assessment->'facts') - 'unknown' - 'productCandidates' as facts,
      (s.assessment->'cacheSize'->>'bytes')::float8 as "cacheBytes",
      s.assessment->'cacheSize'->>'human' as "cacheHuman",
      coalesce((select array_agg(c->>'id' order by n) from jsonb_array_elements(s.assessment->'checks') with ordinality as t(c, n)
                where c->>'status' = 'FAIL'), '{}') as failing,
      coalesce((select array_agg(c->>'id' order by n) from jsonb_array_elements(s.assessment->'checks') with ordinality as t(c, n)
                where c->>'status' = 'WARN'), '{}') as warning,
      s.assessment->>'bestPath' as "bestPath",
      coalesce((select jsonb_object_agg(p->>'id', p->>'verdict') from jsonb_array_elements(
                case when jsonb_typeof(s.assessment->'paths') = 'array' then s.assessment->'paths' else '[]' end) as p),
               '{}') as paths
    from "Scan" s
    where s.id = any(${ids}::text[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

// Every matching host in name order, a batch at a time (keyset on the unique name, so each batch is an index
// range scan and memory stays flat however large the fleet), each joined with its current scan's assessment.
export async function* readExportBatches(
  filter: HostFilter,
  batchSize = EXPORT_BATCH,
): AsyncGenerator<ExportBatchRow[]> {
  const where = hostWhere(filter);
  let after: string | null = null;
  for (;;) {
    const hosts: ExportHost[] = await getDb().host.findMany({
      where: after === null ? where : { AND: [where, { name: { gt: after } }] },
      select: hostColumns,
      orderBy: { name: "asc" },
      take: batchSize,
    });
    if (!hosts.length) return;
    const scans = await readScans(hosts.map((h) => h.currentScanId).filter((id): id is string => id !== null));
    yield hosts.map((host) => ({ host, scan: host.currentScanId ? (scans.get(host.currentScanId) ?? null) : null }));
    if (hosts.length < batchSize) return;
    after = hosts[hosts.length - 1].name;
  }
}
