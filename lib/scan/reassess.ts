import { getDb } from "../db";
import { Prisma } from "../generated/prisma/client";
import { RULES_VERSION } from "../readiness";
import { assessFacts, refreshFacts } from "./derive";
import {
  loadProfileSet,
  profileFor,
  PROFILES_VERSION_SQL,
  RESOLVED_PROFILE_SQL as RESOLVED,
  type ProfileSet,
} from "./guest-profile";
import { reassessBatchSql, type ReassessRow, type RowResult } from "./reassess-sql";

// Which hosts a re-assessment touches. `profile`: the hosts whose covering profile is or was this one (was =
// Host.guestProfileId, is = resolved from the host's tags now), plus hosts whose profile was deleted (null);
// `moved`: the hosts whose covering profile is no longer the one that judged them (after a reorder).
export type ReassessScope = { kind: "all" } | { kind: "profile"; profileId: string } | { kind: "moved" };

export type ReassessProgress = { total: number; done: number; verdictChanged: number };

export type ReassessOptions = {
  scope?: ReassessScope;
  // A rules upgrade: only scans assessed by another RULES_VERSION, re-parsed from their raw output.
  onlyOutdatedRulesVersion?: boolean;
  batchSize?: number;
  onProgress?: (progress: ReassessProgress) => Promise<void>;
};
export type ReassessResult = { hosts: number; verdictChanged: number; durationMs: number };

function scopeSql(scope: ReassessScope): Prisma.Sql {
  if (scope.kind === "all") return Prisma.sql`true`;
  if (scope.kind === "moved") return Prisma.sql`h."guestProfileId" is distinct from ${RESOLVED}`;
  return Prisma.sql`(h."guestProfileId" = ${scope.profileId} or h."guestProfileId" is null or ${RESOLVED} = ${scope.profileId})`;
}

const profilesVersion = async (db: Pick<Prisma.TransactionClient, "$queryRawUnsafe">) =>
  (await db.$queryRawUnsafe<{ v: string }[]>(`select ${PROFILES_VERSION_SQL} as v`))[0].v;

// rawOutput is read (non-null) only for a rules upgrade.
function derive(rows: ReassessRow[], set: ProfileSet): RowResult[] {
  return rows.map((r) => {
    const storedWarnings = Array.isArray(r.parseWarnings) ? (r.parseWarnings as string[]) : [];
    const { facts, warnings, reparsed } = refreshFacts(r.rawOutput, r.facts, storedWarnings);
    const guest = profileFor(set, r.tags);
    return { ...assessFacts(facts, guest.profile, warnings), facts: reparsed ? facts : null, guestProfileId: guest.id };
  });
}

// Writes one batch under a transaction-scoped advisory lock, and only if the profiles are still those the batch
// was judged against: a re-assessment queued by a later change then always writes after this one.
async function writeBatch(rows: ReassessRow[], derived: RowResult[], version: string): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext('daxboard.reassess'))`;
    if ((await profilesVersion(tx)) !== version) return false;
    for (const statement of reassessBatchSql(rows, derived)) await tx.$executeRaw(statement);
    return true;
  });
}

// Facts are collected, verdicts are derived: recompute the current assessment of the hosts in scope from their
// stored facts (a guest-profile change) or raw output (a rules upgrade), each host with its own profile, no rescan.
// Batches keyset on the scan id; each batch is two UPDATE ... FROM unnest statements. A host whose current scan
// changed meanwhile (a new scan landed) is left alone: the new scan was assessed with the new profile already.
export async function reassessFleet(options: ReassessOptions = {}): Promise<ReassessResult> {
  const started = Date.now();
  const onlyOutdated = options.onlyOutdatedRulesVersion ?? false;
  const batchSize = options.batchSize ?? (onlyOutdated ? 100 : 500);
  const where = Prisma.sql`s.facts is not null and ${scopeSql(options.scope ?? { kind: "all" })}
    and (${!onlyOutdated} or s."rulesVersion" is distinct from ${RULES_VERSION})`;
  const db = getDb();
  const [{ count }] = await db.$queryRaw<{ count: number }[]>`
    select count(*)::int as count from "Host" h join "Scan" s on s.id = h."currentScanId" where ${where}`;
  const progress: ReassessProgress = { total: count, done: 0, verdictChanged: 0 };
  await options.onProgress?.(progress);
  let version = await profilesVersion(db);
  let set = await loadProfileSet();
  let after = "";
  for (;;) {
    const rows = await db.$queryRaw<ReassessRow[]>`
      select s.id as "scanId", h.id as "hostId", h.tags, s.verdict, s.facts,
        s.assessment->'parseWarnings' as "parseWarnings",
        ${onlyOutdated ? Prisma.sql`s."rawOutput"` : Prisma.sql`null::text`} as "rawOutput"
      from "Host" h join "Scan" s on s.id = h."currentScanId"
      where ${where} and s.id > ${after}
      order by s.id
      limit ${batchSize}`;
    if (!rows.length) break;
    const derived = derive(rows, set);
    if (!(await writeBatch(rows, derived, version))) {
      // A profile changed under this batch: judge it again against the new profiles.
      version = await profilesVersion(db);
      set = await loadProfileSet();
      continue;
    }
    after = rows[rows.length - 1].scanId;
    progress.done += rows.length;
    progress.verdictChanged += rows.filter((r, i) => r.verdict !== derived[i].verdict).length;
    // Hosts that came into scope after the count (a scan landing) still count as done.
    progress.total = Math.max(progress.total, progress.done);
    await options.onProgress?.(progress);
    if (rows.length < batchSize) break;
  }
  return { hosts: progress.done, verdictChanged: progress.verdictChanged, durationMs: Date.now() - started };
}
