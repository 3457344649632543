import type pg from "pg";
import { getPool } from "../db";

export type RetentionPolicy = { keepScans: number; keepDays: number };

export type PruneOptions = {
  // Rows deleted per statement and hosts looked at per window: every statement stays bounded.
  batchSize?: number;
  hostWindow?: number;
  // Checked between statements: a stopping worker or a run past its time ends after the current statement, and
  // the next run continues where the policy still finds scans to delete.
  signal?: AbortSignal;
  deadlineMs?: number;
};

export type PruneResult = { deleted: number; hosts: number; complete: boolean; skipped: boolean };

// A scan "changed something" when its stored drift is a non-empty list (scan-store stores SQL null when nothing
// changed; older rows may hold a JSON null or an empty list).
export const HAS_DRIFT_SQL = `(s.drift is not null and jsonb_typeof(s.drift) <> 'null' and s.drift <> '[]'::jsonb)`;

// One statement: deletes up to $4 scans of the hosts in $1 that the policy does not keep. Per host it finds the
// newest-but-N scan's time through the (hostId, createdAt) index; only scans strictly older than both it and the
// age limit go, so ties at the Nth scan's instant are kept. Never a scan that is queued or running, has drift, or is
// the host's current or last scan. A host with N scans or fewer has no Nth row and is skipped by the lateral join.
// Both lookups are written as index walks (per-host lateral in createdAt order, then ids through the primary key)
// so the plan stays an index plan even when the table's statistics are stale, e.g. right after a bulk load.
const DELETE_SQL = `
  with hosts as (
    select h.id, h."currentScanId", h."lastScanId", least(nth."createdAt", now() - make_interval(days => $3)) as before
    from "Host" h
    cross join lateral (
      select s."createdAt" from "Scan" s where s."hostId" = h.id order by s."createdAt" desc offset $2 - 1 limit 1
    ) nth
    where h.id = any($1::text[])
  )
  delete from "Scan" where id = any(array(
    select v.id from hosts h
    cross join lateral (
      select s.id from "Scan" s
      where s."hostId" = h.id and s."createdAt" < h.before and s.status in ('succeeded', 'failed')
        and not ${HAS_DRIFT_SQL} and s.id is distinct from h."currentScanId" and s.id is distinct from h."lastScanId"
      order by s."createdAt"
      limit $4
    ) v
    limit $4
  ))`;

// Only one prune runs at a time across every process (the app's and `npm run worker`'s): a second one returns at
// once as skipped. Session-level, so it is held on the one connection the run uses.
export const PRUNE_LOCK = 0x44_41_58_48; // "DAXH"

async function deleteForHosts(client: pg.PoolClient, ids: string[], policy: RetentionPolicy, batchSize: number) {
  const { rowCount } = await client.query(DELETE_SQL, [ids, policy.keepScans, policy.keepDays, batchSize]);
  return rowCount ?? 0;
}

// Walks the hosts in id order (keyset), a window at a time, deleting in bounded statements until a window has
// nothing left to delete. Scans are never blocked: each statement deletes only old finished rows, which no scan
// writes, in its own short transaction.
export async function pruneHistory(policy: RetentionPolicy, options: PruneOptions = {}): Promise<PruneResult> {
  const batchSize = options.batchSize ?? 1000;
  const hostWindow = options.hostWindow ?? 500;
  const deadline = Date.now() + (options.deadlineMs ?? 20 * 60_000);
  const client = await getPool().connect();
  const result: PruneResult = { deleted: 0, hosts: 0, complete: false, skipped: false };
  let locked = false;
  let failed = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>("select pg_try_advisory_lock($1) as locked", [PRUNE_LOCK]);
    locked = rows[0]?.locked === true;
    if (!locked) return { ...result, skipped: true };
    const stopped = () => options.signal?.aborted || Date.now() > deadline;
    let after = "";
    for (;;) {
      const window = await client.query<{ id: string }>(`select id from "Host" where id > $1 order by id limit $2`, [
        after,
        hostWindow,
      ]);
      if (window.rows.length === 0) return { ...result, complete: true };
      const ids = window.rows.map((r) => r.id);
      let deleted = batchSize;
      while (deleted === batchSize) {
        if (stopped()) return result;
        deleted = await deleteForHosts(client, ids, policy, batchSize);
        result.deleted += deleted;
      }
      result.hosts += ids.length;
      after = ids[ids.length - 1]!;
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // After a failure the connection may be broken: it is closed, not returned to the pool (its lock ends with it).
    if (locked && !failed)
      await client.query("select pg_advisory_unlock($1)", [PRUNE_LOCK]).catch(() => {
        failed = true;
      });
    client.release(failed);
  }
}
