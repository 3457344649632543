import { getDb, getPool } from "../db";
import type { SealedRow } from "../hosts/credentials";
import type { ObservedHostKey } from "../ssh/types";
import type { HostForTarget } from "./build-target";
import { driftFactsSql, isReused, type CurrentJudgement, type Derived, type ReusedDerivation } from "./derive";
import { createBatcher } from "./batcher";
import { diffDrift } from "./drift";
import { SCAN_EVENTS_CTE } from "../webhooks/scan-events-sql";
import { DEFAULT_PROFILE_ID, PROFILES_VERSION_SQL } from "./guest-profile";
import { RULES_VERSION } from "../readiness";

// The scan hot path in two statements per batch of scans: claim (mark running + read everything the scans
// need) and save (results + host state + first-use key pins). At 50 concurrent scans on 2 cores the machine is
// CPU-bound; the bench profile put Prisma's per-query work and PostgreSQL's per-statement and per-commit work
// among the largest costs after SSH itself, so both statements are batched across scans (createBatcher).

export type ClaimedScan = {
  hostId: string;
  host: HostForTarget;
  sealed: SealedRow | null;
  // The host's current scan: its drift facts (driftFactsSql only) and verdict, for drift; its judgement, for reuse.
  current: (CurrentJudgement & { facts: unknown }) | null;
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
  currentKey: string | null;
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
      c.ciphertext, c.iv, c."authTag", h."currentScanId", ${driftFactsSql("cur")} as "currentFacts",
      cur.verdict as "currentVerdict", cur."assessmentKey" as "currentKey",
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
    currentKey,
    tags,
    guestProfilesVersion,
    ...host
  } of rows) {
    claimed.set(scanId, {
      hostId,
      host,
      sealed: ciphertext && iv && authTag ? { ciphertext, iv, authTag } : null,
      current: currentScanId
        ? { scanId: currentScanId, assessmentKey: currentKey, verdict: currentVerdict, facts: currentFacts }
        : null,
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
  // The host's current scan before this one (for drift): its facts, or at least driftKeysOf's, and verdict.
  previous: { facts: unknown; verdict: string | null } | null;
  rawOutput: string;
  derived: Derived | ReusedDerivation;
  // The profile the assessment was judged against; omitted means the default profile.
  guestProfileId?: string;
  hostKey?: ObservedHostKey;
  jumpHostKey?: ObservedHostKey;
};

// SAVE_SQL's parameters: the scans' results, host summaries and first-use keys as one JSON document, and how many
// rows it holds.
export function saveRows(inputs: SuccessInput[]): [string, number] {
  const rows = inputs.map((input) => {
    const d = input.derived;
    const reused = isReused(d);
    const verdict = reused ? d.reuse.verdict : d.verdict;
    const drift = input.previous ? diffDrift(input.previous, { facts: d.facts, verdict }) : [];
    const tofu = firstUse(input.hostKey);
    return {
      scanId: input.scanId,
      hostId: input.hostId,
      rawOutput: input.rawOutput,
      // A reused row's facts are its source's but for the run time, which goes alone (see SAVE_SQL).
      facts: reused ? null : d.facts,
      runtime: reused ? d.facts.probeRuntimeMs : null,
      assessment: reused ? null : d.assessment,
      assessmentKey: d.assessmentKey,
      reuseScanId: reused ? d.reuse.scanId : null,
      rulesVersion: reused ? RULES_VERSION : d.rulesVersion,
      verdict,
      drift: drift.length ? drift : null,
      ...(reused ? null : d.summary),
      guestProfileId: input.guestProfileId ?? DEFAULT_PROFILE_ID,
      keyAlgorithm: tofu?.algorithm ?? null,
      keyFingerprint: tofu?.fingerprint ?? null,
    };
  });
  return [JSON.stringify(rows), rows.length];
}

// Stores successful scans (ssh or imported) and makes each its host's current state, all in one statement that
// unpacks saveRows() ($1). A reused assessment (deriveRescan) is copied from the scan it names, and so are its facts
// with this run's run time set in them (equal keys mean facts equal but for it), only while that scan
// is still the host's current one and still judged the same (a re-assessment or another scan may have replaced it
// since the claim); a row that cannot be copied is left out, and the statement's answer (the ids it stored) lets the
// caller judge that scan in full and store it again. A reused row keeps the host's summary columns, which are that
// scan's. A profile deleted since the worker read it is stored as null (the re-assessment the deletion queued picks
// such hosts up). Trust on first use pins a key only while none is pinned (coalesce), so a concurrent re-trust is
// never overwritten. Webhook deliveries for the events a scan causes are inserted by the same statement
// (SCAN_EVENTS_CTE), so they commit with it. PostgreSQL guesses 100 rows for any jsonb_to_recordset, which on
// fleets of hundreds to a few thousand hosts made it hash-join sequential scans of "Host" and "Scan" for every
// batch of a few scans; the row count as the limit ($2) gives it the real number, so it probes the primary keys.
// Run on the pool (see getPool), or through Prisma inside saveSuccess's transaction.
export const SAVE_SQL = `
    with given as (
      select * from jsonb_to_recordset($1::jsonb) as i("scanId" text, "hostId" text, "rawOutput" text,
        facts jsonb, runtime jsonb, assessment jsonb, "assessmentKey" text, "reuseScanId" text, "rulesVersion" text, verdict text,
        drift jsonb, product text, core text, "pageSize" int, "chVersion" text, "platformClass" text,
        "kernelRelease" text, "bestPath" text, "guestProfileId" text, "keyAlgorithm" text, "keyFingerprint" text)
      limit $2
    ), input as (
      select g."scanId", g."hostId", g."rawOutput", coalesce(g.facts, jsonb_set(src.facts, '{probeRuntimeMs}', g.runtime)) as facts,
        coalesce(g.assessment, src.assessment) as assessment,
        g."assessmentKey", g."rulesVersion", g.verdict, g.drift, g."guestProfileId", g."keyAlgorithm", g."keyFingerprint",
        case when src.id is null then g.product else cur.product end as product,
        case when src.id is null then g.core else cur.core end as core,
        case when src.id is null then g."pageSize" else cur."pageSize" end as "pageSize",
        case when src.id is null then g."chVersion" else cur."chVersion" end as "chVersion",
        case when src.id is null then g."platformClass" else cur."platformClass" end as "platformClass",
        case when src.id is null then g."kernelRelease" else cur."kernelRelease" end as "kernelRelease",
        case when src.id is null then g."bestPath" else cur."bestPath" end as "bestPath"
      from given g
      left join "Host" cur on g."reuseScanId" is not null and cur.id = g."hostId" and cur."currentScanId" = g."reuseScanId"
      left join "Scan" src on src.id = cur."currentScanId" and src."assessmentKey" = g."assessmentKey" and src.facts is not null
      where g."reuseScanId" is null or src.id is not null
    ), saved as (
      update "Scan" s set status = 'succeeded', "finishedAt" = now(), "rawOutput" = i."rawOutput", facts = i.facts,
        assessment = i.assessment, "assessmentKey" = i."assessmentKey", "rulesVersion" = i."rulesVersion",
        verdict = i.verdict, drift = i.drift, "errorClass" = null, "errorMessage" = null
      from input i where s.id = i."scanId"
      returning s.id, s."finishedAt"
    )${SCAN_EVENTS_CTE}, hosts as (
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
      where h.id = i."hostId"
    )
    select "scanId" from input`;

// A reused assessment the statement could not copy: the scan is judged in full and stored again.
const judgedInFull = (input: SuccessInput): SuccessInput =>
  isReused(input.derived) ? { ...input, derived: input.derived.derive() } : input;

// One successful scan. A jump host seen for the first time (rare) is pinned by more statements in the same
// transaction.
export async function saveSuccess(input: SuccessInput): Promise<void> {
  const jump = firstUse(input.jumpHostKey);
  if (!jump) {
    const { rows } = await getPool().query(SAVE_SQL, saveRows([input]));
    if (rows.length === 0 && isReused(input.derived)) await saveSuccess(judgedInFull(input));
    return;
  }
  // A registered bastion is pinned on its own row; an address-only one on this host's jump columns.
  const full = judgedInFull(input);
  await getDb().$transaction([
    getDb().$executeRawUnsafe(SAVE_SQL, ...saveRows([full])),
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
// A batch answers, per scan, null (stored), an error, or "judge" (a reused assessment that could not be copied).
const saveBatch = createBatcher(async (inputs: SuccessInput[]): Promise<(unknown | "judge")[]> => {
  // A first-use jump host needs saveSuccess's extra statements, so such a batch goes one scan at a time.
  if (inputs.length > 1 && inputs.every((input) => !firstUse(input.jumpHostKey))) {
    try {
      const { rows } = await getPool().query<{ scanId: string }>(SAVE_SQL, saveRows(inputs));
      const stored = new Set(rows.map((r) => r.scanId));
      return inputs.map((input) => (stored.has(input.scanId) || !isReused(input.derived) ? null : "judge"));
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
  const answer = await saveBatch(input);
  if (answer === "judge") return saveScanResult(judgedInFull(input));
  if (answer) throw answer;
}
