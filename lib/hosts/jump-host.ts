import type { Prisma } from "../generated/prisma/client";
import { AppError } from "../api/errors";
import { storeCredential } from "./credentials";
import type { RegisterHostInput } from "./host-input";

type Jump = RegisterHostInput["jumpHost"];

const NO_JUMP = {
  jumpHostId: null,
  jumpAddress: null,
  jumpPort: null,
  jumpUsername: null,
  jumpHostKeyFingerprint: null,
  jumpAuthMethod: null,
  jumpCredentialId: null,
};

// Turns a jump-host input (another registered host, or address/port/user with its own auth) into Host columns.
// An inline jump host's secret is sealed into a Credential of its own: it never borrows the target's.
export async function jumpColumns(jump: Jump, tx: Prisma.TransactionClient, selfId?: string) {
  if (!jump) return NO_JUMP;
  if ("hostId" in jump) {
    if (jump.hostId === selfId)
      throw new AppError("invalid_input", "jumpHost: a host cannot be its own jump host.", 422, "jumpHost");
    const found = await tx.host.findUnique({
      where: { id: jump.hostId },
      select: { id: true, jumpHostId: true, jumpAddress: true },
    });
    if (!found) throw new AppError("invalid_input", "jumpHost.hostId: no such host.", 422, "jumpHost.hostId");
    // Scans reach a registered jump host directly; one that itself sits behind a jump host would be reached by
    // another route than the one it was registered with, so chains are refused.
    if (found.jumpHostId || found.jumpAddress) {
      throw new AppError(
        "invalid_input",
        "jumpHost.hostId: that host itself goes through a jump host; chained jump hosts are not supported.",
        422,
        "jumpHost.hostId",
      );
    }
    return { ...NO_JUMP, jumpHostId: found.id };
  }
  return {
    ...NO_JUMP,
    jumpAddress: jump.address,
    jumpPort: jump.port,
    jumpUsername: jump.username,
    jumpHostKeyFingerprint: jump.hostKeyFingerprint ?? null,
    jumpAuthMethod: jump.auth.type,
    jumpCredentialId: await storeCredential(jump.auth, tx),
  };
}
