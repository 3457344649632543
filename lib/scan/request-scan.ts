import { z } from "zod";
import { getDb } from "../db";
import { log } from "../log";
import { notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { hostFilterQuery, hostWhere } from "../hosts/list-hosts";
import { analyzeQueue, getBoss, queueOptions, SCAN_QUEUE } from "./queue";
import { scanSelect, toScanDto } from "./scan-dto";
import { wakeWorkers } from "./wake";

// At most one queued-or-running scan per host is the partial unique index "Scan_one_active_per_host"; every insert
// below names it as its conflict target, so concurrent requests agree on one scan without any lock of our own.
// (Issue 12: a per-host advisory lock in one transaction ran out of PostgreSQL's lock table at ~6,400 hosts.)
// A concurrent insert of the same host waits for the first to commit and then does nothing; the next statement
// (READ COMMITTED: a fresh snapshot) sees the winner's row.

// A host's active scan can end between our insert finding it and our read of it; then we insert again.
const ATTEMPTS = 3;

// Queues a scan unless the host already has one queued or running, in which case that one is returned.
export async function requestScan(actor: Actor, hostId: string, opts: { audit?: boolean } = {}) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const host = await getDb().host.findUnique({ where: { id: hostId }, select: { id: true, name: true } });
    if (!host) throw notFound("Host");
    const fresh = await getDb().$transaction(
      async (tx) => {
        // Selecting from Host (not a literal) makes a host deleted since the lookup insert nothing instead of
        // failing on the foreign key.
        const [row] = await tx.$queryRaw<{ id: string }[]>`
          insert into "Scan" (id, "hostId", "requestedBy", status)
          select gen_random_uuid()::text, h.id, ${actor.label}, 'queued' from "Host" h where h.id = ${hostId}
          on conflict ("hostId") where status in ('queued', 'running') do nothing
          returning id`;
        if (!row) return null;
        if (opts.audit !== false) {
          await recordAudit(
            actor,
            { action: "scan.request", hostId, hostName: host.name, targetType: "scan", targetId: row.id },
            tx,
          );
        }
        return tx.scan.findUniqueOrThrow({ where: { id: row.id }, select: scanSelect });
      },
      // Many requests for one host queue behind the first insert; give them room on a busy pool.
      { maxWait: 15_000, timeout: 15_000 },
    );
    if (fresh) {
      const boss = await getBoss();
      await boss.send(SCAN_QUEUE, { scanId: fresh.id }, { id: fresh.id, ...queueOptions() });
      wakeWorkers();
      return { scan: toScanDto(fresh), created: true };
    }
    const active = await getDb().scan.findFirst({
      where: { hostId, status: { in: ["queued", "running"] } },
      select: scanSelect,
      orderBy: { createdAt: "desc" },
    });
    if (active) return { scan: toScanDto(active), created: false };
  }
  throw new Error(`could not queue or find an active scan for host ${hostId} after ${ATTEMPTS} attempts`);
}

export const bulkScanSchema = z
  .object({
    hostIds: z.array(z.string().min(1)).max(100_000).optional(),
    // The fleet table's own filters (query-string spelling), so "rescan this view" means the same hosts.
    filter: hostFilterQuery.optional(),
  })
  .strict()
  .refine((v) => v.hostIds || v.filter, { message: "give hostIds or a filter" });

export type BulkScan = { id: string; hostId: string; status: string };

// Hosts per statement: one array parameter each, so this bounds the statement's work and memory, not its text.
const CHUNK = 5000;
// Jobs per pg-boss insert (one JSON parameter each).
const JOB_CHUNK = 1000;
// A request queueing at least this many jobs refreshes the queue's statistics.
const ANALYZE_AFTER_JOBS = 1000;

async function matchingHostIds(input: z.infer<typeof bulkScanSchema>): Promise<string[]> {
  if (input.hostIds) {
    // One array parameter: a Prisma `in` list of 100,000 ids would pass PostgreSQL's 65,535 bind parameters.
    const rows = await getDb().$queryRaw<{ id: string }[]>`
      select id from "Host" where id = any(${[...new Set(input.hostIds)]}::text[]) order by id`;
    return rows.map((r) => r.id);
  }
  const hosts = await getDb().host.findMany({
    where: hostWhere(input.filter ?? {}),
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return hosts.map((h) => h.id);
}

// Queues a scan for each of `ids` (sorted) that has none active, and reads back the active scan of the others.
// Each statement inserts in host-id order, so two overlapping bulk requests wait on each other in one order and
// cannot deadlock; each chunk commits on its own, so no transaction holds 20,000 pending rows.
async function queueChunk(ids: string[], requestedBy: string): Promise<{ created: BulkScan[]; existing: BulkScan[] }> {
  const created: BulkScan[] = [];
  const existing: BulkScan[] = [];
  let pending = ids;
  for (let attempt = 0; attempt < ATTEMPTS && pending.length > 0; attempt++) {
    const fresh = await getDb().$queryRaw<BulkScan[]>`
      insert into "Scan" (id, "hostId", "requestedBy", status)
      select gen_random_uuid()::text, h.id, ${requestedBy}, 'queued' from "Host" h where h.id = any(${pending}::text[]) order by h.id
      on conflict ("hostId") where status in ('queued', 'running') do nothing
      returning id, "hostId", status::text as status`;
    created.push(...fresh);
    const done = new Set(fresh.map((s) => s.hostId));
    const rest = pending.filter((id) => !done.has(id));
    if (rest.length === 0) break;
    const active = await getDb().$queryRaw<BulkScan[]>`
      select id, "hostId", status::text as status from "Scan"
      where "hostId" = any(${rest}::text[]) and status in ('queued', 'running')`;
    existing.push(...active);
    const found = new Set(active.map((s) => s.hostId));
    // Left: hosts whose active scan ended in between (insert again) or that were deleted (dropped next round).
    pending = rest.filter((id) => !found.has(id));
  }
  return { created, existing };
}

// Bulk: every matching host without an active scan gets one (the others keep theirs), then batched inserts hand
// the new ones to the queue under the scan's id. One SQL statement per chunk returns only what the caller uses:
// each scan's id, host and status (Prisma building and reading back a createMany cost ~0.9 ms of CPU per host).
export async function requestScans(actor: Actor, input: z.infer<typeof bulkScanSchema>) {
  const ids = await matchingHostIds(input);
  const created: BulkScan[] = [];
  const existing: BulkScan[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = await queueChunk(ids.slice(i, i + CHUNK), actor.label);
    created.push(...chunk.created);
    existing.push(...chunk.existing);
  }
  if (created.length > 0) {
    const boss = await getBoss();
    const options = queueOptions();
    for (let i = 0; i < created.length; i += JOB_CHUNK) {
      await boss.insert(
        created
          .slice(i, i + JOB_CHUNK)
          .map((scan) => ({ name: SCAN_QUEUE, id: scan.id, data: { scanId: scan.id }, ...options })),
      );
      // Workers start on each chunk as it commits, not once the whole request is queued.
      wakeWorkers();
    }
    // Thousands of new jobs: the queue's statistics are refreshed now rather than at autovacuum's next pass (see
    // analyzeQueue), without holding up the answer.
    if (created.length >= ANALYZE_AFTER_JOBS) {
      void analyzeQueue(SCAN_QUEUE).catch((err) =>
        log.warn({ err: err instanceof Error ? err.message : String(err) }, "refreshing the queue statistics failed"),
      );
    }
  }
  // One event for the whole request, with what selected the hosts: never one row per host.
  const selection = input.hostIds ? { hostIds: input.hostIds.length } : { filter: input.filter };
  await recordAudit(actor, {
    action: "scan.bulk-request",
    targetType: "scan",
    detail: { ...selection, hosts: ids.length, created: created.length, existing: existing.length },
  });
  return { requested: ids.length, created: created.length, scans: [...existing, ...created] };
}
