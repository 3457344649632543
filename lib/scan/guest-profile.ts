import { getDb } from "../db";
import { Prisma, type GuestProfile as ProfileRow } from "../generated/prisma/client";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "../readiness/guest-profile";

export const DEFAULT_PROFILE_ID = "default";

// A saved profile: its name, ordering and tags beside the guest it describes.
export type NamedProfile = {
  id: string;
  name: string;
  position: number;
  tags: string[];
  profile: GuestProfile;
  updatedAt: Date | null;
  updatedBy: string | null;
};

// Every profile, the tagged ones by position; `fallback` is the default profile.
export type ProfileSet = { tagged: NamedProfile[]; fallback: NamedProfile };

export function toGuestProfile(row: ProfileRow): GuestProfile {
  return {
    ramMiB: row.ramMiB,
    pageSize: row.pageSize,
    vaBits: row.vaBits,
    devices: row.devices,
    workingSetMiB: row.workingSetMiB,
    memmapBudgetPct: row.memmapBudgetPct,
    kernelVersion: row.kernelVersion,
    kernelConfig: row.kernelConfig,
    fsType: row.fsType === "ext4" ? "ext4" : "erofs",
    imageSizeMiB: row.imageSizeMiB,
    daxFixBackported: row.daxFixBackported,
    ksmRiskAccepted: row.ksmRiskAccepted,
  } as GuestProfile;
}

const named = (row: ProfileRow): NamedProfile => ({
  id: row.id,
  name: row.name,
  position: row.position,
  tags: row.tags,
  profile: toGuestProfile(row),
  updatedAt: row.updatedAt,
  updatedBy: row.updatedBy,
});

// The default profile always has a row (the migration writes it; a wiped table gets it back here), so a host's
// guestProfileId can point at it.
async function ensureDefaultRow(): Promise<void> {
  await getDb().guestProfile.createMany({
    data: [{ id: DEFAULT_PROFILE_ID, name: DEFAULT_PROFILE_ID, ...DEFAULT_GUEST_PROFILE }],
    skipDuplicates: true,
  });
}

export async function loadProfileSet(): Promise<ProfileSet> {
  let rows = await getDb().guestProfile.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }] });
  if (!rows.some((r) => r.id === DEFAULT_PROFILE_ID)) {
    await ensureDefaultRow();
    rows = await getDb().guestProfile.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }] });
  }
  const fallback = rows.find((r) => r.id === DEFAULT_PROFILE_ID)!;
  return { tagged: rows.filter((r) => r.id !== DEFAULT_PROFILE_ID).map(named), fallback: named(fallback) };
}

// The first profile, by position, sharing one of the host's tags; else the default.
export function profileFor(set: ProfileSet, hostTags: readonly string[]): NamedProfile {
  return set.tagged.find((p) => p.tags.some((t) => hostTags.includes(t))) ?? set.fallback;
}

// The default profile's guest (GET /api/settings/guest-profile, the pre-issue-13 API).
export async function loadGuestProfile(): Promise<GuestProfile> {
  return (await loadProfileSet()).fallback.profile;
}

// The profile covering host `h` now, in SQL: the same choice as profileFor() (first by position, then id).
export const RESOLVED_PROFILE_SQL = Prisma.sql`coalesce((select p.id from "GuestProfile" p
  where p.id <> 'default' and p.tags && h.tags order by p.position, p.id limit 1), 'default')`;

// A cheap fingerprint of the whole profile table, read as one sub-select of a statement that runs anyway: every
// write gives a row a newer transaction id (xmin), so the sum grows; a delete changes the count.
export const PROFILES_VERSION_SQL = `(select coalesce(sum(xmin::text::bigint), 0) || '/' || count(*) from "GuestProfile")`;

let cached: { version: string; set: ProfileSet } | undefined;

// The worker's copy, re-read only when the version claimScan returned (at no extra cost) changes, so a profile
// edit applies to the very next scan without a query per scan.
export async function profileSetAt(version: string): Promise<ProfileSet> {
  if (cached?.version !== version) cached = { version, set: await loadProfileSet() };
  return cached.set;
}
