import { getDb } from "../db";
import { systemActor } from "../auth/roles";
import { requestScan } from "./request-scan";

// Fleet-wide scheduled rescans (off by default): hosts not scanned within the interval get a scan. Safe to run
// from every worker process at once, because requestScan reuses a host's active scan.
export async function runScheduledRescans(): Promise<number> {
  const settings = await getDb().settings.findUnique({ where: { id: "default" } });
  const minutes = settings?.scanIntervalMinutes;
  if (!minutes) return 0;
  const cutoff = new Date(Date.now() - minutes * 60_000);
  const due = await getDb().host.findMany({
    where: {
      OR: [{ lastScanAt: null }, { lastScanAt: { lt: cutoff } }],
      scans: { none: { status: { in: ["queued", "running"] } } },
    },
    select: { id: true },
    take: 5000,
  });
  const actor = systemActor("schedule");
  for (const host of due) await requestScan(actor, host.id, { audit: false });
  return due.length;
}
