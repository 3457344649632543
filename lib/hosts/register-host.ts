import { getDb } from "../db";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { storeCredential } from "./credentials";
import { hostSelect, toHostDto } from "./host-dto";
import type { RegisterHostInput } from "./host-input";
import { jumpColumns } from "./jump-host";

// Registers a host: the secret is sealed into a Credential, a given host key is pinned from the first scan.
export async function registerHost(actor: Actor, input: RegisterHostInput) {
  const host = await getDb().$transaction(async (tx) => {
    const credentialId = await storeCredential(input.auth, tx);
    const created = await tx.host.create({
      data: {
        name: input.name,
        address: input.address,
        port: input.port,
        username: input.username,
        tags: [...new Set(input.tags)],
        authMethod: input.auth.type,
        credentialId,
        notes: input.notes ?? null,
        ...(await jumpColumns(input.jumpHost, tx)),
        ...(input.hostKeyFingerprint
          ? { hostKeyFingerprint: input.hostKeyFingerprint, hostKeyPinnedAt: new Date(), hostKeyPinnedBy: actor.label }
          : {}),
      },
      select: hostSelect,
    });
    await recordAudit(
      actor,
      {
        action: "host.register",
        hostId: created.id,
        hostName: created.name,
        targetType: "host",
        targetId: created.id,
        detail: { address: created.address, port: created.port, auth: input.auth.type },
      },
      tx,
    );
    return created;
  });
  return toHostDto(host);
}
