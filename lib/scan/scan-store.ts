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

// Stores a successful scan and makes it the host's current state in one statement. Trust on first use pins
// the key only while none is pinned (coalesce), so a concurrent re-trust is never overwritten.
export async function saveSuccess(input: {
  scanId: string;
  claimed: ClaimedScan;
  rawOutput: string;
  derived: Derived;
  hostKey?: ObservedHostKey;
}): Promise<void> {
  const { scanId, claimed, derived } = input;
  const drift = claimed.previous ? diffDrift(claimed.previous, derived) : [];
  const s = derived.summary;
  const tofu = input.hostKey?.trust === "first-use" ? input.hostKey : null;
  await getDb().$executeRaw`
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
    where id = ${claimed.hostId}`;
}
