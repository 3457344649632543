import type { AuthMethod } from "../generated/prisma/enums";

export type Change = { old: unknown; new: unknown };
export type MovedFrom = {
  hostKeyFingerprint: string | null;
  authMethod: AuthMethod;
  credentialReviewRequired: boolean;
};

// What a new address or jump host does to a host (issue 12), for PATCH and for imports alike: the new destination
// has no key we trust yet, so the pin goes; and a stored secret must not follow it unconfirmed, so it is held
// (`holdSecret` is false when the edit re-enters or confirms the secret, and agent hosts store none).
export function movedHostColumns(before: MovedFrom, holdSecret: boolean) {
  const data: Record<string, unknown> = {
    hostKeyFingerprint: null,
    hostKeyAlgorithm: null,
    hostKeyPinnedAt: null,
    hostKeyPinnedBy: null,
  };
  const changes: Record<string, Change> = {};
  if (before.hostKeyFingerprint) changes.hostKeyFingerprint = { old: before.hostKeyFingerprint, new: null };
  if (holdSecret && before.authMethod !== "agent") {
    data.credentialReviewRequired = true;
    if (!before.credentialReviewRequired) changes.credentialReviewRequired = { old: false, new: true };
  }
  return { data, changes };
}
