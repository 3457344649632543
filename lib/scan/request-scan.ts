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

// Bulk: one scan per matching host (existing active scans are reused), one audit event for the request.
export async function requestScans(actor: Actor, input: z.infer<typeof bulkScanSchema>) {
  const where = input.hostIds ? { id: { in: input.hostIds } } : hostWhere(input.filter ?? {});
  const hosts = await getDb().host.findMany({ where, select: { id: true } });
  let created = 0;
  const scans = [];
  for (const host of hosts) {
    const result = await requestScan(actor, host.id, { audit: false });
    if (result.created) created++;
    scans.push(result.scan);
  }
  await recordAudit(actor, { action: "scan.request-bulk", targetType: "scan", detail: { hosts: hosts.length, created } });
  return { requested: hosts.length, created, scans };
}
