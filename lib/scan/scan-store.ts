import { getDb, getPool } from "../db";
import type { SealedRow } from "../hosts/credentials";
import type { ObservedHostKey } from "../ssh/types";
import type { HostForTarget } from "./build-target";
import type { Derived } from "./derive";
import { createBatcher } from "./batcher";
import { diffDrift } from "./drift";
import { SCAN_EVENTS_CTE } from "../webhooks/scan-events-sql";
import { DEFAULT_PROFILE_ID, PROFILES_VERSION_SQL } from "./guest-profile";

// The scan hot path in two statements per batch of scans: claim (mark running + read everything the scans
// need) and save (results + host state + first-use key pins). At 50 concurrent scans on 2 cores the machine is
// CPU-bound; the bench profile put Prisma's per-query work and PostgreSQL's per-statement and per-commit work
// among the largest costs after SSH itself, so both statements are batched across scans (createBatcher).

export type ClaimedScan = {
  hostId: string;
  host: HostForTarget;
  sealed: SealedRow | null;
  previous: { facts: unknown; verdict: string | null } | null;
  // The host's tags pick its guest profile; the version says whether the worker's copy of the profiles is current.
  tags: string[];
  guestProfilesVersion: string;
};

type ClaimRow = HostForTarget & {
  hostId: string;
  ciphertext: Uint8Array | null;
  iv: Uint8Array | null;
  authTag: Uint8Array | null;
  currentScanId: string | null;
  currentFacts: unknown;
  currentVerdict: string | null;
  tags: string[];
  guestProfilesVersion: string;
};

// Marks scans running and returns, for each, its host, sealed credential and current facts, in one statement.
// A scan that is gone or already ended (a duplicate delivery) is missing from the result.
export async function claimScans(scanIds: string[]): Promise<Map<string, ClaimedScan>> {
  const { rows } = await getPool().query<ClaimRow & { scanId: string }>(
    `update "Scan" s set status = 'running', "startedAt" = now(), attempts = s.attempts + 1
    from "Host" h
    left join "Credential" c on c.id = h."credentialId"
    left join "Scan" cur on cur.id = h."currentScanId"
    where s.id = any($1::text[]) and h.id = s."hostId" and s.status in ('queued', 'running')
    returning s.id as "scanId", h.id as "hostId", h.address, h.port, h.username, h."authMethod"::text as "authMethod", h."credentialId",
      h."credentialReviewRequired", h."hostKeyFingerprint", h."jumpHostId", h."jumpAddress", h."jumpPort", h."jumpUsername",
      h."jumpHostKeyFingerprint", h."jumpAuthMethod"::text as "jumpAuthMethod", h."jumpCredentialId",
      c.ciphertext, c.iv, c."authTag", h."currentScanId", cur.facts as "currentFacts", cur.verdict as "currentVerdict",
      h.tags, ${PROFILES_VERSION_SQL} as "guestProfilesVersion"`,
    [scanIds],
  );
  const claimed = new Map<string, ClaimedScan>();
  for (const {
    scanId,
    hostId,
    ciphertext,
    iv,
    authTag,
    currentScanId,
    currentFacts,
    currentVerdict,
    tags,
    guestProfilesVersion,
    ...host
  } of rows) {
    claimed.set(scanId, {
      hostId,
      host,
      sealed: ciphertext && iv && authTag ? { ciphertext, iv, authTag } : null,
      previous: currentScanId ? { facts: currentFacts, verdict: currentVerdict } : null,
      tags,
      guestProfilesVersion,
    });
  }
  return claimed;
}

// Claims made while another claim is on its way to the database go out together (a fetched batch of jobs
// starts at once, so it becomes one statement).
const claimBatch = createBatcher(async (ids: string[]) => {
  const claimed = await claimScans([...new Set(ids)]);
  return ids.map((id) => claimed.get(id) ?? null);
}, 64);

// Marks the scan running and returns what it needs; null when the scan is gone or already ended.
export function claimScan(scanId: string): Promise<ClaimedScan | null> {
  return claimBatch(scanId);
}

const firstUse = (key?: ObservedHostKey) => (key?.trust === "first-use" ? key : null);

export type SuccessInput = {
  scanId: string;
  hostId: string;
  previous: ClaimedScan["previous"];
  rawOutput: string;
  derived: Derived;
  // The profile the assessment was judged against; omitted means the default profile.
  guestProfileId?: string;
  hostKey?: ObservedHostKey;
  jumpHostKey?: ObservedHostKey;
};

// SAVE_SQL's one parameter: the scans' results, host summaries and first-use keys as one JSON document.
function saveRows(inputs: SuccessInput[]): string {
  const rows = inputs.map((input) => {
    const drift = input.previous ? diffDrift(input.previous, input.derived) : [];
    const tofu = firstUse(input.hostKey);
    return {
      scanId: input.scanId,
      hostId: input.hostId,
      rawOutput: input.rawOutput,
      facts: input.derived.facts,
      assessment: input.derived.assessment,
      rulesVersion: input.derived.rulesVersion,
      verdict: input.derived.verdict,
      drift: drift.length ? drift : null,
      ...input.derived.summary,
      guestProfileId: input.guestProfileId ?? DEFAULT_PROFILE_ID,
      keyAlgorithm: tofu?.algorithm ?? null,
      keyFingerprint: tofu?.fingerprint ?? null,
    };
  });
  return JSON.stringify(rows);
}

// Stores successful scans (ssh or imported) and makes each its host's current state, all in one statement that
// unpacks saveRows() ($1). A profile deleted since the worker read it is stored as null (the re-assessment the
// deletion queued picks such hosts up). Trust on first use pins a key only while none is pinned (coalesce), so a concurrent
// re-trust is never overwritten. Webhook deliveries for the events a scan causes are inserted by the same statement
// (SCAN_EVENTS_CTE), so they commit with it. Run on the pool (see getPool), or through Prisma inside saveSuccess's transaction.
const SAVE_SQL = `
    with input as (
      select * from jsonb_to_recordset($1::jsonb) as i("scanId" text, "hostId" text, "rawOutput" text,
        facts jsonb, assessment jsonb, "rulesVersion" text, verdict text, drift jsonb, product text, core text, "pageSize" int,
        "chVersion" text, "platformClass" text, "kernelRelease" text, "bestPath" text, "guestProfileId" text,
        "keyAlgorithm" text, "keyFingerprint" text)
    ), saved as (
      update "Scan" s set status = 'succeeded', "finishedAt" = now(), "rawOutput" = i."rawOutput", facts = i.facts,
        assessment = i.assessment, "rulesVersion" = i."rulesVersion", verdict = i.verdict, drift = i.drift,
        "errorClass" = null, "errorMessage" = null
      from input i where s.id = i."scanId"
      returning s.id, s."finishedAt"
    )${SCAN_EVENTS_CTE}
    update "Host" h set "currentScanId" = i."scanId", "lastScanId" = i."scanId", "lastScanAt" = saved."finishedAt",
      "lastScanStatus" = 'succeeded', "lastErrorClass" = null, stale = false, verdict = i.verdict,
      product = i.product, core = i.core, "pageSize" = i."pageSize", "chVersion" = i."chVersion",
      "platformClass" = i."platformClass", "kernelRelease" = i."kernelRelease", "bestPath" = i."bestPath",
      "guestProfileId" = (select p.id from "GuestProfile" p where p.id = i."guestProfileId"), "updatedAt" = now(),
      "hostKeyAlgorithm" = case when h."hostKeyFingerprint" is null then i."keyAlgorithm" else h."hostKeyAlgorithm" end,
      "hostKeyPinnedAt" = case when h."hostKeyFingerprint" is null and i."keyFingerprint" is not null then now() else h."hostKeyPinnedAt" end,
      "hostKeyPinnedBy" = case when h."hostKeyFingerprint" is null and i."keyFingerprint" is not null then 'first scan (trust on first use)' else h."hostKeyPinnedBy" end,
      "hostKeyFingerprint" = coalesce(h."hostKeyFingerprint", i."keyFingerprint")
    from input i join saved on saved.id = i."scanId"
    where h.id = i."hostId"`;

// One successful scan. A jump host seen for the first time (rare) is pinned by more statements in the same
// transaction.
export async function saveSuccess(input: SuccessInput): Promise<void> {
  const jump = firstUse(input.jumpHostKey);
  if (!jump) {
    await getPool().query(SAVE_SQL, [saveRows([input])]);
    return;
  }
  // A registered bastion is pinned on its own row; an address-only one on this host's jump columns.
  await getDb().$transaction([
    getDb().$executeRawUnsafe(SAVE_SQL, saveRows([input])),
    getDb().$executeRaw`
      update "Host" j set "hostKeyFingerprint" = ${jump.fingerprint}, "hostKeyAlgorithm" = ${jump.algorithm},
        "hostKeyPinnedAt" = now(), "hostKeyPinnedBy" = 'first scan (trust on first use)'
      from "Host" h where h.id = ${input.hostId} and j.id = h."jumpHostId" and j."hostKeyFingerprint" is null`,
    getDb().$executeRaw`
      update "Host" set "jumpHostKeyFingerprint" = ${jump.fingerprint}
      where id = ${input.hostId} and "jumpHostId" is null and "jumpAddress" is not null and "jumpHostKeyFingerprint" is null`,
  ]);
}

// The worker's path: scans that finish while a save is on its way are stored together. If a batch fails, each
// of its scans is tried alone, so one row PostgreSQL refuses cannot fail the scans it happened to travel with.
const saveBatch = createBatcher(async (inputs: SuccessInput[]) => {
  // A first-use jump host needs saveSuccess's extra statements, so such a batch goes one scan at a time.
  if (inputs.length > 1 && inputs.every((input) => !firstUse(input.jumpHostKey))) {
    try {
      await getPool().query(SAVE_SQL, [saveRows(inputs)]);
      return inputs.map(() => null);
    } catch {
      // Fall through to one statement per scan.
    }
  }
  return Promise.all(
    inputs.map((input) =>
      saveSuccess(input).then(
        () => null,
        (err: unknown) => err,
      ),
    ),
  );
}, 32);

export async function saveScanResult(input: SuccessInput): Promise<void> {
  const err = await saveBatch(input);
  if (err) throw err;
}
