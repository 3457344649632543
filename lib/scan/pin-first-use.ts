import { getPool } from "../db";
import type { SeenHostKey } from "../ssh/host-key";

export type PinSlot = { kind: "host"; hostId: string } | { kind: "inline-jump"; hostId: string };

const BY = "first scan (trust on first use)";

// Pins a key seen on first use during the handshake, before any credential is sent (issue 12), and returns the
// fingerprint pinned now: this one, or the one a concurrent scan pinned first (then the caller refuses).
const PIN_HOST = `
  with pinned as (
    update "Host" set "hostKeyFingerprint" = $2, "hostKeyAlgorithm" = $3, "hostKeyPinnedAt" = now(), "hostKeyPinnedBy" = $4
    where id = $1 and "hostKeyFingerprint" is null
    returning "hostKeyFingerprint" as fp
  )
  select coalesce((select fp from pinned), (select "hostKeyFingerprint" from "Host" where id = $1)) as fp`;

const PIN_INLINE_JUMP = `
  with pinned as (
    update "Host" set "jumpHostKeyFingerprint" = $2
    where id = $1 and "jumpHostKeyFingerprint" is null
    returning "jumpHostKeyFingerprint" as fp
  )
  select coalesce((select fp from pinned), (select "jumpHostKeyFingerprint" from "Host" where id = $1)) as fp`;

export async function pinFirstUseKey(slot: PinSlot, seen: SeenHostKey): Promise<string> {
  const { rows } =
    slot.kind === "host"
      ? await getPool().query<{ fp: string | null }>(PIN_HOST, [slot.hostId, seen.fingerprint, seen.algorithm, BY])
      : await getPool().query<{ fp: string | null }>(PIN_INLINE_JUMP, [slot.hostId, seen.fingerprint]);
  const fp = rows[0]?.fp;
  if (fp) return fp;
  // Lost a race with a concurrent first scan (many hosts behind one new bastion): the statement's snapshot
  // predates the winner's pin, so read it again.
  const column = slot.kind === "host" ? `"hostKeyFingerprint"` : `"jumpHostKeyFingerprint"`;
  const again = await getPool().query<{ fp: string | null }>(`select ${column} as fp from "Host" where id = $1`, [slot.hostId]);
  const now = again.rows[0]?.fp;
  if (!now) throw new Error("the host row is gone or its key could not be recorded");
  return now;
}
