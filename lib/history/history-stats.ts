import { getDb } from "../db";
import { getSettings } from "../settings/settings";
import { HAS_DRIFT_SQL } from "./prune-history";

export type HistoryStats = {
  databaseBytes: number;
  scanTableBytes: number;
  scans: number;
  driftScans: number;
  rawOutputBytes: number;
  oldestScanAt: string | null;
};

export type HistoryOverview = {
  policy: { keepScans: number; keepDays: number };
  stats: HistoryStats;
  lastPrune: { at: string; deletedScans: number } | null;
};

type StatsRow = Omit<HistoryStats, "oldestScanAt"> & { oldestScanAt: Date | null };

// What the database holds, for the settings page. Sizes are bytes on disk: pg_database_size and the Scan table with
// its indexes and TOAST; rawOutputBytes is the probe output's own length (octet_length reads the stored length
// without decompressing). Deleted rows free space for new scans, so the database stops growing rather than shrinks.
export async function getHistoryStats(): Promise<HistoryStats> {
  const [row] = await getDb().$queryRawUnsafe<StatsRow[]>(`
    select pg_database_size(current_database())::float8 as "databaseBytes",
      pg_total_relation_size('"Scan"')::float8 as "scanTableBytes",
      count(*)::int as scans,
      (count(*) filter (where ${HAS_DRIFT_SQL}))::int as "driftScans",
      coalesce(sum(octet_length(s."rawOutput")), 0)::float8 as "rawOutputBytes",
      min(s."createdAt") as "oldestScanAt"
    from "Scan" s`);
  return { ...row!, oldestScanAt: row!.oldestScanAt?.toISOString() ?? null };
}

export async function getHistoryOverview(): Promise<HistoryOverview> {
  // The last prune first, then the stats: a prune commits its deletions before it records itself, so stats read
  // after the record always include them. Read side by side, a prune finishing in between showed "88 deleted"
  // beside the count from before it (seen once in CI).
  const row = await getDb().settings.findUnique({
    where: { id: "default" },
    select: { historyPrunedAt: true, historyPrunedScans: true },
  });
  const [settings, stats] = await Promise.all([getSettings(), getHistoryStats()]);
  return {
    policy: { keepScans: settings.historyKeepScans, keepDays: settings.historyKeepDays },
    stats,
    lastPrune: row?.historyPrunedAt
      ? { at: row.historyPrunedAt.toISOString(), deletedScans: row.historyPrunedScans ?? 0 }
      : null,
  };
}
