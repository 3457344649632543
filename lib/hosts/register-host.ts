import { getDb } from "../db";
import { roleAtLeast, type Actor } from "../auth/roles";
import { AppError } from "../api/errors";
import { recordAudit } from "../audit/record-audit";
import { storeCredential } from "./credentials";
import { hostSelect, toHostDto } from "./host-dto";
import type { RegisterHostInput } from "./host-input";
import { jumpColumns } from "./jump-host";
import { verifyKeyAuth } from "./verify-key-auth";

// Registers a host: the secret is sealed into a Credential, a given host key is pinned from the first scan.
export async function registerHost(actor: Actor, input: RegisterHostInput) {
  // A registered jump host logs in with ITS stored secret and opens a tunnel to the new host's address: choosing
  // one lends that secret to a route the registering user picks, so it is an admin action (issue 12).
  if (input.jumpHost && "hostId" in input.jumpHost && !roleAtLeast(actor.role, "admin")) {
    throw new AppError(
      "forbidden",
      "Going through a registered jump host uses that host's stored credential, so it needs the admin role; give an inline jump host with its own login instead.",
      403,
      "jumpHost",
    );
  }
  await verifyKeyAuth(input.auth, "auth");
  if (input.jumpHost && "auth" in input.jumpHost) await verifyKeyAuth(input.jumpHost.auth, "jumpHost.auth");
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
