import type { Actor } from "../auth/roles";
import type { GuestProfile } from "../readiness";
import { DEFAULT_PROFILE_ID, loadGuestProfile } from "../scan/guest-profile";
import { updateGuestProfile } from "./save-guest-profile";

// The pre-issue-13 API (GET/PUT /api/settings/guest-profile): the default profile, the one every host no named
// profile covers is judged against.
export async function getGuestProfile(): Promise<{ profile: GuestProfile }> {
  return { profile: await loadGuestProfile() };
}

// Saves the default profile (admin, audited); the hosts it covers are re-assessed in the background and the
// answer carries that run.
export async function saveGuestProfile(actor: Actor, input: GuestProfile) {
  const { run } = await updateGuestProfile(actor, DEFAULT_PROFILE_ID, { ...input, name: DEFAULT_PROFILE_ID, tags: [] });
  return { profile: await loadGuestProfile(), run };
}
