import { getDb } from "../db";
import { ScanError } from "../ssh/errors";
import { recordFailure } from "./record-outcome";

const LOST: Record<string, string> = {
  ssh: "The worker running this scan stopped (killed or restarted) and the retries ran out.",
  imported: "The import of this document stopped before it was stored (the server stopped or its database failed).",
};

// A scan that still says queued/running but has no live queue job lost its worker: an SSH scan whose job is gone
// or finished (pg-boss expired it and the retries ran out), or an imported one, which never has a job and is
// stored within its request, whose request died. End it as failed so nothing stays "running" for ever: an active
// scan also holds the host's one active-scan slot (Scan_one_active_per_host) and would block every rescan.
export async function reapLostScans(graceSeconds = 120): Promise<number> {
  const lost = await getDb().$queryRaw<{ id: string; hostId: string; source: string }[]>`
    select s.id, s."hostId", s.source::text as source from "Scan" s
    where s.status in ('queued', 'running')
      and s."createdAt" < now() - make_interval(secs => ${graceSeconds})
      and not exists (
        select 1 from pgboss.job j where j.name = 'scan' and j.id = s.id::uuid and j.state in ('created', 'retry', 'active')
      )`;
  for (const scan of lost) {
    await recordFailure(
      scan.id,
      scan.hostId,
      new ScanError("timeout", LOST[scan.source] ?? LOST.ssh!, { deadline: "scan" }),
    );
  }
  return lost.length;
}
