import { z } from "zod";
import { getDb } from "../db";
import { notFound } from "../api/errors";
import { tagSchema } from "../hosts/host-input";
import { guestConfigGaps, guestProfileSchema, type GuestConfigGaps, type GuestProfile } from "../readiness";
import {
  DEFAULT_PROFILE_ID,
  loadProfileSet,
  RESOLVED_PROFILE_SQL,
  type NamedProfile,
  type ProfileSet,
} from "../scan/guest-profile";
import { activeReassessRun } from "../scan/reassess-runs";

export const profileNameSchema = z
  .string()
  .trim()
  .min(1, "name is required")
  .max(64, "names are at most 64 characters")
  .regex(/^[A-Za-z0-9 ._-]+$/, "names use letters, digits, spaces, dots, underscores and hyphens only");

// POST and PUT /api/settings/guest-profiles bodies: the guest plus its name and the host tags it covers.
export const namedProfileSchema = guestProfileSchema
  .extend({ name: profileNameSchema, tags: z.array(tagSchema).max(50, "at most 50 tags") })
  .strict();

export const profileOrderSchema = z.object({ ids: z.array(z.string().min(1).max(64)).max(1000) }).strict();

export type NamedProfileInput = z.infer<typeof namedProfileSchema>;

export type ProfileView = GuestProfile & {
  id: string;
  name: string;
  tags: string[];
  position: number;
  isDefault: boolean;
  hostCount: number;
  updatedAt: string;
  updatedBy: string | null;
  // What the uploaded guest .config lacks, per path (null when none is uploaded): the settings page lists it.
  configGaps: GuestConfigGaps | null;
};

function toView(p: NamedProfile, hostCount: number): ProfileView {
  return {
    ...p.profile,
    id: p.id,
    name: p.name,
    tags: p.tags,
    position: p.position,
    isDefault: p.id === DEFAULT_PROFILE_ID,
    hostCount,
    updatedAt: (p.updatedAt ?? new Date(0)).toISOString(),
    updatedBy: p.updatedBy,
    configGaps: guestConfigGaps(p.profile),
  };
}

// Hosts per covering profile (tags resolved in SQL as a scan would), one GROUP BY.
async function hostCounts(): Promise<Map<string, number>> {
  const rows = await getDb().$queryRaw<{ id: string; count: number }[]>`
    select ${RESOLVED_PROFILE_SQL} as id, count(*)::int as count from "Host" h group by 1`;
  return new Map(rows.map((r) => [r.id, r.count]));
}

const ordered = (set: ProfileSet) => [...set.tagged, set.fallback];

// GET /api/settings/guest-profiles: every profile by position, the default last, and the re-assessment in progress.
export async function listGuestProfiles() {
  const [set, counts, activeRun] = await Promise.all([loadProfileSet(), hostCounts(), activeReassessRun()]);
  return { profiles: ordered(set).map((p) => toView(p, counts.get(p.id) ?? 0)), activeRun };
}

export async function getProfileView(id: string): Promise<ProfileView> {
  const [set, counts] = await Promise.all([loadProfileSet(), hostCounts()]);
  const profile = ordered(set).find((p) => p.id === id);
  if (!profile) throw notFound("Guest profile");
  return toView(profile, counts.get(id) ?? 0);
}
