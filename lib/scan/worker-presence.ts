import os from "node:os";
import pg from "pg";
import { log } from "../log";

// Scan worker processes are counted where every process already meets: PostgreSQL. Each holds one idle connection
// named `daxboard-scan-worker:<host>:<pid>` while its workers run, and GET /api/metrics counts those in
// pg_stat_activity (daxboard_workers). A dead process's connection goes with it, so the count never goes stale.
export const WORKER_APPLICATION_PREFIX = "daxboard-scan-worker:";

const RECONNECT_MS = 5000;

export function startWorkerPresence(url: string): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const name = `${WORKER_APPLICATION_PREFIX}${os.hostname()}:${process.pid}`.slice(0, 63);
  const connect = () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: url, application_name: name });
    // A database restart ends the connection: come back once it is up again.
    next.on("error", () => undefined);
    next.on("end", () => {
      if (client === next) client = null;
      if (!stopped) timer = setTimeout(connect, RECONNECT_MS);
    });
    next.connect().then(
      () => {
        if (stopped) return void next.end().catch(() => undefined);
        client = next;
      },
      (err: unknown) => {
        log.debug({ err: String(err) }, "worker presence: database not reachable");
      },
    );
  };
  connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await client?.end().catch(() => undefined);
    client = null;
  };
}
