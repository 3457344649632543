import { getDb } from "../db";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import type { GuestProfile } from "../readiness";
import { loadGuestProfile } from "../scan/guest-profile";
import { reassessFleet, type ReassessResult } from "../scan/reassess";

export async function getGuestProfile(): Promise<{ profile: GuestProfile }> {
  return { profile: await loadGuestProfile() };
}

// Saves the fleet-wide guest profile (admin, audited) and re-derives every host's verdict and cache_size from
// its stored facts, without a rescan. The kernel .config text is audited by size only.
export async function saveGuestProfile(
  actor: Actor,
  input: GuestProfile,
): Promise<{ profile: GuestProfile; reassessed: ReassessResult }> {
  await getDb().guestProfile.upsert({
    where: { id: "default" },
    create: { id: "default", ...input, updatedBy: actor.label },
    update: { ...input, updatedBy: actor.label },
  });
  const { kernelConfig, ...rest } = input;
  await recordAudit(actor, {
    action: "guest-profile.update",
    targetType: "settings",
    targetId: "guest-profile",
    detail: { ...rest, kernelConfigBytes: kernelConfig === null ? null : Buffer.byteLength(kernelConfig) },
  });
  const profile = await loadGuestProfile();
  return { profile, reassessed: await reassessFleet({ profile }) };
}
