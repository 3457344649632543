import { getDb } from "../db";
import type { SealedRow } from "../hosts/credentials";
import type { ObservedHostKey } from "../ssh/types";
import type { HostForTarget } from "./build-target";
import type { Derived } from "./derive";
import { diffDrift } from "./drift";

// The scan hot path in two statements: claim (mark running + read everything the scan needs) and save
// (scan result + host state + first-use key pin). The bench showed per-query round trips, not CPU, bounding
// throughput at 50 concurrent scans; interactive transactions held pool connections across round trips.

export type ClaimedScan = {
  hostId: string;
  host: HostForTarget;
  sealed: SealedRow | null;
  previous: { facts: unknown; verdict: string | null } | null;
  guestProfileUpdatedAt: Date | null;
};

type ClaimRow = HostForTarget & {
  hostId: string;
  ciphertext: Uint8Array | null;
  iv: Uint8Array | null;
  authTag: Uint8Array | null;
  currentScanId: string | null;
  currentFacts: unknown;
  currentVerdict: string | null;
  guestProfileUpdatedAt: Date | null;
};

// Marks the scan running and returns its host, sealed credential and current facts; null when the scan is
// gone or already ended (a duplicate delivery).
export async function claimScan(scanId: string): Promise<ClaimedScan | null> {
  const rows = await getDb().$queryRaw<ClaimRow[]>`
    update "Scan" s set status = 'running', "startedAt" = now(), attempts = s.attempts + 1
    from "Host" h
    left join "Credential" c on c.id = h."credentialId"
    left join "Scan" cur on cur.id = h."currentScanId"
    where s.id = ${scanId} and h.id = s."hostId" and s.status in ('queued', 'running')
    returning h.id as "hostId", h.address, h.port, h.username, h."authMethod"::text as "authMethod", h."credentialId",
      h."hostKeyFingerprint", h."jumpHostId", h."jumpAddress", h."jumpPort", h."jumpUsername", h."jumpHostKeyFingerprint",
      c.ciphertext, c.iv, c."authTag", h."currentScanId", cur.facts as "currentFacts", cur.verdict as "currentVerdict",
      (select "updatedAt" from "GuestProfile" where id = 'default') as "guestProfileUpdatedAt"`;
  const row = rows[0];
  if (!row) return null;
  const { hostId, ciphertext, iv, authTag, currentScanId, currentFacts, currentVerdict, guestProfileUpdatedAt, ...host } = row;
  return {
    hostId,
    host,
    sealed: ciphertext && iv && authTag ? { ciphertext, iv, authTag } : null,
    previous: currentScanId ? { facts: currentFacts, verdict: currentVerdict } : null,
    guestProfileUpdatedAt,
  };
}

const firstUse = (key?: ObservedHostKey) => (key?.trust === "first-use" ? key : null);

// Stores a successful scan (ssh or imported) and makes it the host's current state in one statement. Trust on
// first use pins a key only while none is pinned (coalesce), so a concurrent re-trust is never overwritten.
// A jump host seen for the first time (rare) is pinned by a second statement in the same transaction.
export async function saveSuccess(input: {
  scanId: string;
  hostId: string;
  previous: ClaimedScan["previous"];
  rawOutput: string;
  derived: Derived;
  hostKey?: ObservedHostKey;
  jumpHostKey?: ObservedHostKey;
}): Promise<void> {
  const { scanId, derived } = input;
  const drift = input.previous ? diffDrift(input.previous, derived) : [];
  const s = derived.summary;
  const tofu = firstUse(input.hostKey);
  const save = getDb().$executeRaw`
    with saved as (
      update "Scan" set status = 'succeeded', "finishedAt" = now(), "rawOutput" = ${input.rawOutput},
        facts = ${JSON.stringify(derived.facts)}::jsonb, assessment = ${JSON.stringify(derived.assessment)}::jsonb,
        "rulesVersion" = ${derived.rulesVersion}, verdict = ${derived.verdict},
        drift = ${drift.length ? JSON.stringify(drift) : null}::jsonb,
        "errorClass" = null, "errorMessage" = null
      where id = ${scanId}
      returning "finishedAt"
    )
    update "Host" set "currentScanId" = ${scanId}, "lastScanId" = ${scanId}, "lastScanAt" = (select "finishedAt" from saved),
      "lastScanStatus" = 'succeeded', "lastErrorClass" = null, stale = false, verdict = ${derived.verdict},
      product = ${s.product}, core = ${s.core}, "pageSize" = ${s.pageSize}, "chVersion" = ${s.chVersion},
      "platformClass" = ${s.platformClass}, "kernelRelease" = ${s.kernelRelease}, "updatedAt" = now(),
      "hostKeyAlgorithm" = case when "hostKeyFingerprint" is null then ${tofu?.algorithm ?? null} else "hostKeyAlgorithm" end,
      "hostKeyPinnedAt" = case when "hostKeyFingerprint" is null and ${tofu !== null} then now() else "hostKeyPinnedAt" end,
      "hostKeyPinnedBy" = case when "hostKeyFingerprint" is null and ${tofu !== null} then 'first scan (trust on first use)' else "hostKeyPinnedBy" end,
      "hostKeyFingerprint" = coalesce("hostKeyFingerprint", ${tofu?.fingerprint ?? null})
    where id = ${input.hostId}`;
  const jump = firstUse(input.jumpHostKey);
  if (!jump) {
    await save;
    return;
  }
  // A registered bastion is pinned on its own row; an address-only one on this host's jump columns.
  await getDb().$transaction([
    save,
    getDb().$executeRaw`
      update "Host" j set "hostKeyFingerprint" = ${jump.fingerprint}, "hostKeyAlgorithm" = ${jump.algorithm},
        "hostKeyPinnedAt" = now(), "hostKeyPinnedBy" = 'first scan (trust on first use)'
      from "Host" h where h.id = ${input.hostId} and j.id = h."jumpHostId" and j."hostKeyFingerprint" is null`,
    getDb().$executeRaw`
      update "Host" set "jumpHostKeyFingerprint" = ${jump.fingerprint}
      where id = ${input.hostId} and "jumpHostId" is null and "jumpAddress" is not null and "jumpHostKeyFingerprint" is null`,
  ]);
}
