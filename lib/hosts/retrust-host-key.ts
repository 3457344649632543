import { z } from "zod";
import { getDb } from "../db";
import { AppError, notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { fingerprintSchema } from "./host-input";

export const retrustSchema = z.object({ fingerprint: fingerprintSchema }).strict();

// After a host-key-mismatch, an admin who verified the new key out of band pins it. The fingerprint they send
// must be the one the host presented, so a stale page cannot pin some other key.
export async function retrustHostKey(actor: Actor, hostId: string, fingerprint: string) {
  return getDb().$transaction(async (tx) => {
    const host = await tx.host.findUnique({ where: { id: hostId }, select: { id: true, name: true, hostKeyFingerprint: true } });
    if (!host) throw notFound("Host");
    const mismatch = await tx.scan.findFirst({
      where: { hostId, errorClass: "host-key-mismatch" },
      orderBy: { createdAt: "desc" },
      select: { errorDetail: true },
    });
    const detail = (mismatch?.errorDetail ?? {}) as { presentedFingerprint?: string; presentedAlgorithm?: string };
    if (!detail.presentedFingerprint) {
      throw new AppError("no_mismatch", "This host has no host-key mismatch to resolve; rescan it first.", 409);
    }
    if (detail.presentedFingerprint !== fingerprint) {
      throw new AppError("fingerprint_differs", `The host last presented ${detail.presentedFingerprint}, not the fingerprint given.`, 409, "fingerprint");
    }
    const updated = await tx.host.update({
      where: { id: hostId },
      data: { hostKeyFingerprint: fingerprint, hostKeyAlgorithm: detail.presentedAlgorithm ?? null, hostKeyPinnedAt: new Date(), hostKeyPinnedBy: actor.label },
      select: { hostKeyFingerprint: true, hostKeyAlgorithm: true, hostKeyPinnedAt: true, hostKeyPinnedBy: true },
    });
    await recordAudit(
      actor,
      { action: "host.retrust-key", hostId, hostName: host.name, targetType: "host", targetId: hostId, detail: { old: host.hostKeyFingerprint, new: fingerprint } },
      tx,
    );
    return { ...updated, hostKeyPinnedAt: updated.hostKeyPinnedAt?.toISOString() ?? null, previous: host.hostKeyFingerprint };
  });
}
