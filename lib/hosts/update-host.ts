import { getDb } from "../db";
import type { Actor } from "../auth/roles";
import { notFound } from "../api/errors";
import { recordAudit } from "../audit/record-audit";
import { storeCredential } from "./credentials";
import { hostSelect, toHostDto } from "./host-dto";
import type { UpdateHostInput } from "./host-input";
import { jumpColumns } from "./jump-host";

// Edits a host. A new auth replaces the sealed credential; a changed fingerprint re-pins the key (audited).
export async function updateHost(actor: Actor, id: string, input: UpdateHostInput) {
  const host = await getDb().$transaction(async (tx) => {
    const before = await tx.host.findUnique({ where: { id }, select: { id: true, credentialId: true, name: true } });
    if (!before) throw notFound("Host");
    const data: Record<string, unknown> = {};
    for (const key of ["name", "address", "port", "username", "notes"] as const) {
      if (input[key] !== undefined) data[key] = input[key];
    }
    if (input.tags) data.tags = [...new Set(input.tags)];
    if (input.jumpHost !== undefined) Object.assign(data, await jumpColumns(input.jumpHost, tx, id));
    if (input.auth) {
      data.authMethod = input.auth.type;
      data.credentialId = await storeCredential(input.auth, tx);
    }
    if (input.hostKeyFingerprint !== undefined) {
      Object.assign(data, {
        hostKeyFingerprint: input.hostKeyFingerprint,
        hostKeyAlgorithm: null,
        hostKeyPinnedAt: input.hostKeyFingerprint ? new Date() : null,
        hostKeyPinnedBy: input.hostKeyFingerprint ? actor.label : null,
      });
    }
    const updated = await tx.host.update({ where: { id }, data, select: hostSelect });
    if (input.auth && before.credentialId) await tx.credential.delete({ where: { id: before.credentialId } });
    await recordAudit(
      actor,
      {
        action: "host.update",
        hostId: id,
        hostName: updated.name,
        targetType: "host",
        targetId: id,
        detail: { fields: Object.keys(input) },
      },
      tx,
    );
    return updated;
  });
  return toHostDto(host);
}
