import { z } from "zod";
import { getDb } from "../db";
import { AppError, notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { fingerprintSchema } from "./host-input";

export const retrustSchema = z.object({ fingerprint: fingerprintSchema }).strict();

type MismatchDetail = {
  presentedFingerprint?: string;
  presentedAlgorithm?: string;
  host?: "target" | "jump";
  presentedBy?: string;
};

const stale = () =>
  new AppError(
    "stale_mismatch",
    "The host's address or jump host changed, or it was scanned again, since that key was presented; rescan it first.",
    409,
  );

// After a host-key-mismatch, an admin who verified the new key out of band pins it. The fingerprint they send
// must be the one the host presented, so a stale page cannot pin some other key. The key is pinned where it
// was presented: a jump host's key on the jump host (its own row, or this host's inline jump columns), never
// on the target (issue 12).
export async function retrustHostKey(actor: Actor, hostId: string, fingerprint: string) {
  return getDb().$transaction(async (tx) => {
    const host = await tx.host.findUnique({
      where: { id: hostId },
      select: {
        id: true,
        name: true,
        address: true,
        port: true,
        lastScanId: true,
        hostKeyFingerprint: true,
        jumpHostId: true,
        jumpAddress: true,
        jumpPort: true,
        jumpHostKeyFingerprint: true,
      },
    });
    if (!host) throw notFound("Host");
    const mismatch = await tx.scan.findFirst({
      where: { hostId, errorClass: "host-key-mismatch" },
      orderBy: { createdAt: "desc" },
      select: { id: true, errorDetail: true },
    });
    const detail = (mismatch?.errorDetail ?? {}) as MismatchDetail;
    if (!detail.presentedFingerprint) {
      throw new AppError("no_mismatch", "This host has no host-key mismatch to resolve; rescan it first.", 409);
    }
    if (detail.presentedFingerprint !== fingerprint) {
      throw new AppError(
        "fingerprint_differs",
        `The host last presented ${detail.presentedFingerprint}, not the fingerprint given.`,
        409,
        "fingerprint",
      );
    }
    // Only the host's latest scan counts, and only while the key still comes from the same endpoint: an old
    // mismatch must not pin a key on a host that has moved (or on a jump host that replaced the one that saw it).
    if (mismatch && host.lastScanId !== mismatch.id) throw stale();
    const at = (address: string | null, port: number | null) => `${address}:${port ?? 22}`;
    const pin = {
      hostKeyFingerprint: fingerprint,
      hostKeyAlgorithm: detail.presentedAlgorithm ?? null,
      hostKeyPinnedAt: new Date(),
      hostKeyPinnedBy: actor.label,
    };
    const keySelect = {
      hostKeyFingerprint: true,
      hostKeyAlgorithm: true,
      hostKeyPinnedAt: true,
      hostKeyPinnedBy: true,
      name: true,
    } as const;

    if (detail.host === "jump" && host.jumpHostId) {
      const jump = await tx.host.findUnique({
        where: { id: host.jumpHostId },
        select: { id: true, name: true, address: true, port: true, hostKeyFingerprint: true },
      });
      if (!jump) throw new AppError("no_jump_host", "The jump host that presented this key no longer exists.", 409);
      if (detail.presentedBy && detail.presentedBy !== at(jump.address, jump.port)) throw stale();
      const updated = await tx.host.update({ where: { id: jump.id }, data: pin, select: keySelect });
      await recordAudit(
        actor,
        {
          action: "host.retrust-key",
          hostId: jump.id,
          hostName: jump.name,
          targetType: "host",
          targetId: jump.id,
          detail: { old: jump.hostKeyFingerprint, new: fingerprint, role: "jump", seenFrom: host.name },
        },
        tx,
      );
      return { role: "jump" as const, jumpHostName: jump.name, ...dto(updated), previous: jump.hostKeyFingerprint };
    }
    if (detail.host === "jump") {
      if (!host.jumpAddress)
        throw new AppError(
          "no_jump_host",
          "This host no longer goes through the jump host that presented this key.",
          409,
        );
      if (detail.presentedBy && detail.presentedBy !== at(host.jumpAddress, host.jumpPort)) throw stale();
      await tx.host.update({ where: { id: hostId }, data: { jumpHostKeyFingerprint: fingerprint } });
      await recordAudit(
        actor,
        {
          action: "host.retrust-key",
          hostId,
          hostName: host.name,
          targetType: "host",
          targetId: hostId,
          detail: { old: host.jumpHostKeyFingerprint, new: fingerprint, role: "jump" },
        },
        tx,
      );
      return {
        role: "jump" as const,
        jumpHostName: host.jumpAddress,
        hostKeyFingerprint: fingerprint,
        hostKeyAlgorithm: detail.presentedAlgorithm ?? null,
        hostKeyPinnedAt: pin.hostKeyPinnedAt.toISOString(),
        hostKeyPinnedBy: actor.label,
        previous: host.jumpHostKeyFingerprint,
      };
    }
    if (detail.presentedBy && detail.presentedBy !== at(host.address, host.port)) throw stale();
    const updated = await tx.host.update({ where: { id: hostId }, data: pin, select: keySelect });
    await recordAudit(
      actor,
      {
        action: "host.retrust-key",
        hostId,
        hostName: host.name,
        targetType: "host",
        targetId: hostId,
        detail: { old: host.hostKeyFingerprint, new: fingerprint, role: "target" },
      },
      tx,
    );
    return { role: "target" as const, ...dto(updated), previous: host.hostKeyFingerprint };
  });
}

function dto(row: {
  hostKeyFingerprint: string | null;
  hostKeyAlgorithm: string | null;
  hostKeyPinnedAt: Date | null;
  hostKeyPinnedBy: string | null;
}) {
  return {
    hostKeyFingerprint: row.hostKeyFingerprint,
    hostKeyAlgorithm: row.hostKeyAlgorithm,
    hostKeyPinnedAt: row.hostKeyPinnedAt?.toISOString() ?? null,
    hostKeyPinnedBy: row.hostKeyPinnedBy,
  };
}
