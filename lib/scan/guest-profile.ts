import { getDb } from "../db";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "../readiness/guest-profile";

// The fleet-wide guest profile; the defaults of DOMAIN.md §4 until an admin saves one.
export async function loadGuestProfile(): Promise<GuestProfile> {
  const row = await getDb().guestProfile.findUnique({ where: { id: "default" } });
  if (!row) return DEFAULT_GUEST_PROFILE;
  return {
    ...DEFAULT_GUEST_PROFILE,
    ramMiB: row.ramMiB,
    pageSize: row.pageSize,
    vaBits: row.vaBits,
    devices: row.devices,
    workingSetMiB: row.workingSetMiB,
    memmapBudgetPct: row.memmapBudgetPct,
    kernelVersion: row.kernelVersion,
    kernelConfig: row.kernelConfig,
  } as GuestProfile;
}

let cached: { version: number; profile: GuestProfile } | undefined;

// The worker's copy, re-read only when the row's updatedAt (returned by claimScan at no extra cost) changes,
// so a profile edit applies to the very next scan without a query per scan.
export async function guestProfileAt(updatedAt: Date | null): Promise<GuestProfile> {
  if (updatedAt === null) return DEFAULT_GUEST_PROFILE;
  const version = updatedAt.getTime();
  if (cached?.version !== version) cached = { version, profile: await loadGuestProfile() };
  return cached.profile;
}
