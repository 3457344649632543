import { getDb } from "../db";
import type { Actor } from "../auth/roles";
import { AppError, notFound } from "../api/errors";
import { recordAudit } from "../audit/record-audit";

// Deletes a host, its scans and its credentials (its own and its inline jump host's); its audit events stay (they hold no foreign key).
export async function deleteHost(actor: Actor, id: string) {
  await getDb().$transaction(async (tx) => {
    const host = await tx.host.findUnique({
      where: { id },
      select: { id: true, name: true, credentialId: true, jumpCredentialId: true },
    });
    if (!host) throw notFound("Host");
    // Deleting a jump host would silently send the hosts behind it straight to their addresses (issue 12): they
    // must be moved off it first, which is an admin action.
    const behind = await tx.host.findMany({
      where: { jumpHostId: id },
      select: { name: true },
      orderBy: { name: "asc" },
      take: 6,
    });
    if (behind.length > 0) {
      const names = behind
        .slice(0, 5)
        .map((h) => h.name)
        .join(", ");
      throw new AppError(
        "jump_host_in_use",
        `${host.name} is the jump host of ${names}${behind.length > 5 ? ", …" : ""}; move those hosts off it first.`,
        409,
      );
    }
    await tx.host.delete({ where: { id } });
    for (const credentialId of [host.credentialId, host.jumpCredentialId]) {
      if (!credentialId) continue;
      const users = await tx.host.count({ where: { OR: [{ credentialId }, { jumpCredentialId: credentialId }] } });
      if (users === 0) await tx.credential.delete({ where: { id: credentialId } });
    }
    await recordAudit(
      actor,
      { action: "host.delete", hostId: id, hostName: host.name, targetType: "host", targetId: id },
      tx,
    );
  });
}
