import { getDb } from "../db";
import { ScanError } from "../ssh/errors";
import { recordFailure } from "./record-outcome";

// A scan whose queue job is gone or finished while the scan still says queued/running lost its worker and ran
// out of retries (pg-boss expired the job). End it as failed so nothing stays "running" forever.
export async function reapLostScans(graceSeconds = 120): Promise<number> {
  const lost = await getDb().$queryRaw<{ id: string; hostId: string }[]>`
    select s.id, s."hostId" from "Scan" s
    where s.status in ('queued', 'running') and s.source = 'ssh'
      and s."createdAt" < now() - make_interval(secs => ${graceSeconds})
      and not exists (
        select 1 from pgboss.job j where j.name = 'scan' and j.id = s.id::uuid and j.state in ('created', 'retry', 'active')
      )`;
  for (const scan of lost) {
    await recordFailure(
      scan.id,
      scan.hostId,
      new ScanError("timeout", "The worker running this scan stopped (killed or restarted) and the retries ran out.", { deadline: "scan" }),
    );
  }
  return lost.length;
}
