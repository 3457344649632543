import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { roleAtLeast, type Actor } from "../auth/roles";
import { AppError, notFound } from "../api/errors";
import { recordAudit } from "../audit/record-audit";
import { storeCredential } from "./credentials";
import { hostSelect, toHostDto } from "./host-dto";
import { DESTINATION_FIELDS, type UpdateHostInput } from "./host-input";
import { jumpColumns } from "./jump-host";
import { movedHostColumns, type Change } from "./move-host";
import { verifyKeyAuth } from "./verify-key-auth";
import { reassessIfProfileMoved } from "../scan/reassess-runs";

const beforeSelect = {
  id: true,
  name: true,
  address: true,
  port: true,
  username: true,
  tags: true,
  notes: true,
  authMethod: true,
  credentialId: true,
  hostKeyFingerprint: true,
  credentialReviewRequired: true,
  jumpHostId: true,
  jumpHost: { select: { name: true } },
  jumpAddress: true,
  jumpPort: true,
  jumpUsername: true,
  jumpCredentialId: true,
} satisfies Prisma.HostSelect;

type Before = Prisma.HostGetPayload<{ select: typeof beforeSelect }>;

// How a jump host reads in the audit log: never a secret, only where the connection goes.
function describeJump(
  host: Pick<Before, "jumpHostId" | "jumpAddress" | "jumpPort" | "jumpUsername"> & { jumpName?: string | null },
) {
  if (host.jumpHostId) return `host ${host.jumpName ?? host.jumpHostId}`;
  if (host.jumpAddress) return `${host.jumpUsername ?? "?"}@${host.jumpAddress}:${host.jumpPort ?? 22}`;
  return null;
}

// Changing where a stored secret goes (address, port, jump host, pinned key) is an admin action (issue 12):
// an operator who could repoint a host could send its password to a server of their own with one rescan.
export function assertMayChangeDestination(actor: Actor, input: UpdateHostInput): void {
  const touched = DESTINATION_FIELDS.filter((key) => input[key] !== undefined);
  if (touched.length === 0 || roleAtLeast(actor.role, "admin")) return;
  throw new AppError(
    "forbidden",
    `Changing ${touched.join(", ")} decides where this host's stored secret is sent, so it needs the admin role.`,
    403,
    touched[0],
  );
}

// Edits a host. A new auth replaces the sealed credential. A changed address or jump host drops the pinned key
// and holds the stored secret until an admin re-enters or confirms it. Every change is audited as old → new.
export async function updateHost(actor: Actor, id: string, input: UpdateHostInput) {
  assertMayChangeDestination(actor, input);
  await verifyKeyAuth(input.auth, "auth");
  if (input.jumpHost && "auth" in input.jumpHost) await verifyKeyAuth(input.jumpHost.auth, "jumpHost.auth");
  const host = await getDb().$transaction(async (tx) => {
    const before = await tx.host.findUnique({ where: { id }, select: beforeSelect });
    if (!before) throw notFound("Host");
    const data: Record<string, unknown> & Prisma.HostUncheckedUpdateInput = {};
    const changes: Record<string, Change> = {};
    const note = (field: string, oldValue: unknown, newValue: unknown) => {
      if (JSON.stringify(oldValue) !== JSON.stringify(newValue))
        changes[field] = { old: oldValue ?? null, new: newValue ?? null };
    };
    for (const key of ["name", "address", "port", "username", "notes"] as const) {
      if (input[key] === undefined) continue;
      (data as Record<string, unknown>)[key] = input[key];
      note(key, before[key], input[key]);
    }
    if (input.tags) {
      data.tags = [...new Set(input.tags)];
      note("tags", before.tags, data.tags);
    }
    if (input.jumpHost !== undefined) {
      const columns = await jumpColumns(input.jumpHost, tx, id);
      Object.assign(data, columns);
      const jumpName = columns.jumpHostId
        ? (await tx.host.findUnique({ where: { id: columns.jumpHostId }, select: { name: true } }))?.name
        : null;
      const oldJump = describeJump({ ...before, jumpName: before.jumpHost?.name });
      const newJump = describeJump({ ...columns, jumpName });
      note("jumpHost", oldJump, newJump);
      if (columns.jumpCredentialId)
        changes.jumpAuth = { old: before.jumpCredentialId ? "stored" : null, new: "re-entered" };
    }
    if (input.auth) {
      data.authMethod = input.auth.type;
      data.credentialId = await storeCredential(input.auth, tx);
      changes.auth = { old: before.authMethod, new: `${input.auth.type} (re-entered)` };
    }
    if (changes.address !== undefined || changes.jumpHost !== undefined) {
      const moved = movedHostColumns(before, !input.auth && !input.confirmCredential);
      Object.assign(data, moved.data);
      Object.assign(changes, moved.changes);
    }
    if (input.hostKeyFingerprint !== undefined) {
      Object.assign(data, {
        hostKeyFingerprint: input.hostKeyFingerprint,
        hostKeyAlgorithm: null,
        hostKeyPinnedAt: input.hostKeyFingerprint ? new Date() : null,
        hostKeyPinnedBy: input.hostKeyFingerprint ? actor.label : null,
      });
      note("hostKeyFingerprint", before.hostKeyFingerprint, input.hostKeyFingerprint);
    }
    // A re-entered key or password is meant for the new destination; switching to the server's agent is not a
    // re-entered secret, so only an admin's edit lifts the hold that way (or an explicit confirmation).
    const reentered = input.auth !== undefined && (input.auth.type !== "agent" || roleAtLeast(actor.role, "admin"));
    if (reentered || input.confirmCredential) data.credentialReviewRequired = false;
    if (data.credentialReviewRequired !== undefined)
      note("credentialReviewRequired", before.credentialReviewRequired, data.credentialReviewRequired);
    const updated = await tx.host.update({ where: { id }, data, select: hostSelect });
    if (input.auth && before.credentialId) await deleteIfUnused(tx, before.credentialId);
    if (input.jumpHost !== undefined && before.jumpCredentialId) await deleteIfUnused(tx, before.jumpCredentialId);
    await recordAudit(
      actor,
      {
        action: "host.update",
        hostId: id,
        hostName: updated.name,
        targetType: "host",
        targetId: id,
        detail: { fields: Object.keys(input), changes } as Prisma.InputJsonValue,
      },
      tx,
    );
    return { ...updated, tagsChanged: changes.tags !== undefined };
  });
  // New tags may put the host under another guest profile: its verdict follows without a rescan.
  const { tagsChanged, ...row } = host;
  if (tagsChanged) await reassessIfProfileMoved([id]);
  return toHostDto(row);
}

async function deleteIfUnused(tx: Prisma.TransactionClient, credentialId: string) {
  const users = await tx.host.count({ where: { OR: [{ credentialId }, { jumpCredentialId: credentialId }] } });
  if (users === 0) await tx.credential.delete({ where: { id: credentialId } });
}
