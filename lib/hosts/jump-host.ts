import type { Prisma } from "../generated/prisma/client";
import { AppError } from "../api/errors";
import type { RegisterHostInput } from "./host-input";

type Jump = RegisterHostInput["jumpHost"];

// Turns a jump-host input (another registered host, or address/port/user) into Host columns.
export async function jumpColumns(jump: Jump, tx: Prisma.TransactionClient, selfId?: string) {
  if (!jump) {
    return { jumpHostId: null, jumpAddress: null, jumpPort: null, jumpUsername: null, jumpHostKeyFingerprint: null };
  }
  if ("hostId" in jump) {
    if (jump.hostId === selfId) throw new AppError("invalid_input", "jumpHost: a host cannot be its own jump host.", 422, "jumpHost");
    const found = await tx.host.findUnique({ where: { id: jump.hostId }, select: { id: true } });
    if (!found) throw new AppError("invalid_input", "jumpHost.hostId: no such host.", 422, "jumpHost.hostId");
    return { jumpHostId: found.id, jumpAddress: null, jumpPort: null, jumpUsername: null, jumpHostKeyFingerprint: null };
  }
  return {
    jumpHostId: null,
    jumpAddress: jump.address,
    jumpPort: jump.port,
    jumpUsername: jump.username,
    jumpHostKeyFingerprint: jump.hostKeyFingerprint ?? null,
  };
}
