import { z } from "zod";
import { getDb } from "../db";
import { notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { hostFilterQuery, hostWhere } from "../hosts/list-hosts";
import { getBoss, queueOptions, SCAN_QUEUE } from "./queue";
import { scanSelect, toScanDto } from "./scan-dto";
import { wakeWorkers } from "./wake";

// Queues a scan unless the host already has one queued or running, in which case that one is returned.
// A per-host advisory lock makes concurrent requests agree on a single scan.
export async function requestScan(actor: Actor, hostId: string, opts: { audit?: boolean } = {}) {
  const { scan, created } = await getDb().$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${"scan:" + hostId}))`;
    const host = await tx.host.findUnique({ where: { id: hostId }, select: { id: true, name: true } });
    if (!host) throw notFound("Host");
    const active = await tx.scan.findFirst({
      where: { hostId, status: { in: ["queued", "running"] } },
      select: scanSelect,
      orderBy: { createdAt: "desc" },
    });
    if (active) return { scan: active, created: false };
    const fresh = await tx.scan.create({ data: { hostId, requestedBy: actor.label, status: "queued" }, select: scanSelect });
    if (opts.audit !== false) {
      await recordAudit(actor, { action: "scan.request", hostId, hostName: host.name, targetType: "scan", targetId: fresh.id }, tx);
    }
    return { scan: fresh, created: true };
  });
  if (created) {
    const boss = await getBoss();
    await boss.send(SCAN_QUEUE, { scanId: scan.id }, { id: scan.id, ...queueOptions() });
    wakeWorkers();
  }
  return { scan: toScanDto(scan), created };
}

export const bulkScanSchema = z
  .object({
    hostIds: z.array(z.string().min(1)).max(100_000).optional(),
    // The fleet table's own filters (query-string spelling), so "rescan this view" means the same hosts.
    filter: hostFilterQuery.optional(),
  })
  .strict()
  .refine((v) => v.hostIds || v.filter, { message: "give hostIds or a filter" });

// Bulk: one transaction queues a scan for every matching host that has none queued or running (those keep
// theirs), then one batch insert hands them to the queue. Per-host requests in a loop were the bench's
// bottleneck (one transaction and one send per host); after that, Prisma building and reading back a 500-row
// createMany was (about 0.9 ms of CPU per host), so the insert is one SQL statement that returns only what the
// caller uses: each scan's id, host and status.
export type BulkScan = { id: string; hostId: string; status: string };

export async function requestScans(actor: Actor, input: z.infer<typeof bulkScanSchema>) {
  const where = input.hostIds ? { id: { in: input.hostIds } } : hostWhere(input.filter ?? {});
  const hosts = await getDb().host.findMany({ where, select: { id: true }, orderBy: { id: "asc" } });
  const ids = hosts.map((h) => h.id);
  const { created, scans } = await getDb().$transaction(
    async (tx) => {
      // Same per-host locks as requestScan, taken in id order so two bulk requests cannot deadlock.
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('scan:' || id)) from unnest(${ids}::text[]) as id order by id`;
      const active = await tx.$queryRaw<BulkScan[]>`
        select id, "hostId", status::text as status from "Scan" where "hostId" = any(${ids}::text[]) and status in ('queued', 'running')`;
      const fresh = await tx.$queryRaw<BulkScan[]>`
        insert into "Scan" (id, "hostId", "requestedBy", status)
        select gen_random_uuid()::text, h.id, ${actor.label}, 'queued' from unnest(${ids}::text[]) as h(id)
        where not exists (select 1 from "Scan" s where s."hostId" = h.id and s.status in ('queued', 'running'))
        returning id, "hostId", status::text as status`;
      return { created: fresh, scans: [...active, ...fresh] };
    },
    { timeout: 60_000 },
  );
  if (created.length > 0) {
    const boss = await getBoss();
    const options = queueOptions();
    for (let i = 0; i < created.length; i += 1000) {
      await boss.insert(created.slice(i, i + 1000).map((scan) => ({ name: SCAN_QUEUE, id: scan.id, data: { scanId: scan.id }, ...options })));
    }
    wakeWorkers();
  }
  await recordAudit(actor, { action: "scan.request-bulk", targetType: "scan", detail: { hosts: ids.length, created: created.length } });
  return { requested: ids.length, created: created.length, scans };
}
