import { getPool } from "../db";
import type { SeenHostKey } from "../ssh/host-key";
import { createBatcher } from "./batcher";

export type PinSlot = { kind: "host"; hostId: string } | { kind: "inline-jump"; hostId: string };

const BY = "first scan (trust on first use)";

// Pins keys seen on first use during the handshake, before any credential is sent (issue 12), and answers with
// the fingerprint pinned now: the one seen, or one a concurrent scan pinned first (then the caller refuses).
// A first scan of a fleet pins hundreds of hosts at once, so host pins go out in batches, one statement each
// (the same group commit as claims and saves). Two entries for one host in a batch (hosts sharing a new jump
// host) update it once; each then compares its key with the one that won. The limit ($3) is the row count, so the
// planner does not take jsonb_to_recordset for 100 rows (see SAVE_SQL in scan-store.ts).
const PIN_HOSTS = `
  with input as (
    select * from jsonb_to_recordset($1::jsonb) as i(n int, id text, fp text, alg text) limit $3
  ), pinned as (
    update "Host" h set "hostKeyFingerprint" = i.fp, "hostKeyAlgorithm" = i.alg, "hostKeyPinnedAt" = now(), "hostKeyPinnedBy" = $2
    from input i
    where h.id = i.id and h."hostKeyFingerprint" is null
    returning h.id, h."hostKeyFingerprint" as fp
  )
  select i.n, coalesce((select p.fp from pinned p where p.id = i.id limit 1), h."hostKeyFingerprint") as fp
  from input i left join "Host" h on h.id = i.id
  order by i.n`;

const PIN_INLINE_JUMP = `
  with pinned as (
    update "Host" set "jumpHostKeyFingerprint" = $2
    where id = $1 and "jumpHostKeyFingerprint" is null
    returning "jumpHostKeyFingerprint" as fp
  )
  select coalesce((select fp from pinned), (select "jumpHostKeyFingerprint" from "Host" where id = $1)) as fp`;

type HostPin = { hostId: string; seen: SeenHostKey };

const pinHosts = createBatcher(async (pins: HostPin[]) => {
  const input = pins.map((p, n) => ({ n, id: p.hostId, fp: p.seen.fingerprint, alg: p.seen.algorithm }));
  const { rows } = await getPool().query<{ n: number; fp: string | null }>(PIN_HOSTS, [
    JSON.stringify(input),
    BY,
    input.length,
  ]);
  return pins.map((_, n) => rows.find((r) => r.n === n)?.fp ?? null);
}, 64);

export async function pinFirstUseKey(slot: PinSlot, seen: SeenHostKey): Promise<string> {
  const fp =
    slot.kind === "host"
      ? await pinHosts({ hostId: slot.hostId, seen })
      : (await getPool().query<{ fp: string | null }>(PIN_INLINE_JUMP, [slot.hostId, seen.fingerprint])).rows[0]?.fp;
  if (fp) return fp;
  // Lost a race with a concurrent first scan in another statement: its snapshot predates the winner's pin, so
  // read it again.
  const column = slot.kind === "host" ? `"hostKeyFingerprint"` : `"jumpHostKeyFingerprint"`;
  const again = await getPool().query<{ fp: string | null }>(`select ${column} as fp from "Host" where id = $1`, [
    slot.hostId,
  ]);
  const now = again.rows[0]?.fp;
  if (!now) throw new Error("the host row is gone or its key could not be recorded");
  return now;
}
