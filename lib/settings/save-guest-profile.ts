import { getDb } from "../db";
import { AppError, notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { DEFAULT_PROFILE_ID, loadProfileSet } from "../scan/guest-profile";
import { queueReassessRun } from "../scan/reassess-runs";
import { getProfileView, type NamedProfileInput } from "./guest-profiles";

const duplicateName = () => new AppError("duplicate", "A guest profile with this name already exists.", 409, "name");

const invalid = (field: string, message: string) => new AppError("invalid_input", `${field}: ${message}`, 422, field);

async function unlessDuplicate<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw duplicateName();
    throw err;
  }
}

// What the audit log keeps of a profile: everything but the guest .config text, which is recorded by size only.
function auditDetail(input: NamedProfileInput) {
  const { kernelConfig, ...rest } = input;
  return { ...rest, kernelConfigBytes: kernelConfig === null ? null : Buffer.byteLength(kernelConfig) };
}

function checkTags(id: string | null, input: NamedProfileInput): void {
  if (id === DEFAULT_PROFILE_ID) {
    if (input.tags.length) throw invalid("tags", "the default profile covers every untagged host and takes no tags");
    if (input.name !== DEFAULT_PROFILE_ID) throw invalid("name", 'the default profile keeps the name "default"');
  } else if (!input.tags.length) {
    throw invalid("tags", "give at least one host tag this profile applies to");
  }
}

// A new profile goes after the others; the hosts it now covers are re-assessed in the background.
export async function createGuestProfile(actor: Actor, input: NamedProfileInput) {
  checkTags(null, input);
  const last = await getDb().guestProfile.aggregate({
    where: { id: { not: DEFAULT_PROFILE_ID } },
    _max: { position: true },
  });
  const row = await unlessDuplicate(
    getDb().guestProfile.create({
      data: { ...input, position: (last._max.position ?? -1) + 1, updatedBy: actor.label },
      select: { id: true },
    }),
  );
  await recordAudit(actor, {
    action: "guest-profile.create",
    targetType: "guest-profile",
    targetId: row.id,
    detail: auditDetail(input),
  });
  const run = await queueReassessRun(`profile "${input.name}" created`, row.id, {
    kind: "profile",
    profileId: row.id,
  });
  return { profile: await getProfileView(row.id), run };
}

// Saves a profile (the default included, whose tags stay empty); the hosts it covered or covers now are
// re-assessed in the background.
export async function updateGuestProfile(actor: Actor, id: string, input: NamedProfileInput) {
  checkTags(id, input);
  // The default profile's row may not exist yet on a fresh database: loading the profiles writes it.
  await loadProfileSet();
  const found = await getDb().guestProfile.findUnique({ where: { id }, select: { id: true } });
  if (!found) throw notFound("Guest profile");
  await unlessDuplicate(getDb().guestProfile.update({ where: { id }, data: { ...input, updatedBy: actor.label } }));
  await recordAudit(actor, {
    action: "guest-profile.update",
    targetType: "guest-profile",
    targetId: id,
    detail: auditDetail(input),
  });
  const run = await queueReassessRun(`profile "${input.name}" changed`, id, { kind: "profile", profileId: id });
  return { profile: await getProfileView(id), run };
}

// The default profile cannot go (409); the hosts the deleted one covered fall back to the next match.
export async function deleteGuestProfile(actor: Actor, id: string) {
  if (id === DEFAULT_PROFILE_ID) {
    throw new AppError("default_profile", "The default profile judges every host no other profile covers.", 409);
  }
  const deleted = await getDb()
    .guestProfile.delete({ where: { id }, select: { name: true } })
    .catch((err: { code?: string }) => {
      if (err.code === "P2025") throw notFound("Guest profile");
      throw err;
    });
  await recordAudit(actor, {
    action: "guest-profile.delete",
    targetType: "guest-profile",
    targetId: id,
    detail: { name: deleted.name },
  });
  return { run: await queueReassessRun(`profile "${deleted.name}" deleted`, id, { kind: "profile", profileId: id }) };
}

// `ids` is every profile but the default, in the new order; hosts whose first matching profile changed are
// re-assessed.
export async function reorderGuestProfiles(actor: Actor, ids: string[]) {
  const set = await loadProfileSet();
  const current = set.tagged.map((p) => p.id);
  const sameSet =
    ids.length === current.length && new Set(ids).size === ids.length && ids.every((id) => current.includes(id));
  if (!sameSet) throw invalid("ids", "list every profile but the default exactly once, in the new order");
  await getDb().$transaction(
    ids.map((id, position) =>
      getDb().guestProfile.update({ where: { id }, data: { position, updatedBy: actor.label } }),
    ),
  );
  const names = ids.map((id) => set.tagged.find((p) => p.id === id)!.name);
  await recordAudit(actor, {
    action: "guest-profile.reorder",
    targetType: "guest-profile",
    detail: { order: names },
  });
  return { run: await queueReassessRun("profiles reordered", null, { kind: "moved" }) };
}
