import type { Prisma } from "../generated/prisma/client";

// The one shape a host leaves the server in. It names no credential fields, so secrets cannot leak through it.
export const hostSelect = {
  id: true,
  name: true,
  address: true,
  port: true,
  username: true,
  tags: true,
  authMethod: true,
  credentialId: true,
  jumpHostId: true,
  jumpHost: { select: { id: true, name: true } },
  jumpAddress: true,
  jumpPort: true,
  jumpUsername: true,
  jumpHostKeyFingerprint: true,
  jumpAuthMethod: true,
  credentialReviewRequired: true,
  hostKeyAlgorithm: true,
  hostKeyFingerprint: true,
  hostKeyPinnedAt: true,
  hostKeyPinnedBy: true,
  notes: true,
  createdAt: true,
  updatedAt: true,
  lastScanAt: true,
  lastScanStatus: true,
  lastErrorClass: true,
  stale: true,
  verdict: true,
  product: true,
  core: true,
  pageSize: true,
  chVersion: true,
  platformClass: true,
  kernelRelease: true,
  bestPath: true,
  // The profile the current assessment was judged against.
  guestProfile: { select: { id: true, name: true } },
  currentScanId: true,
  lastScanId: true,
} satisfies Prisma.HostSelect;

export type HostRow = Prisma.HostGetPayload<{ select: typeof hostSelect }>;

export function toHostDto(host: HostRow) {
  const { credentialId, jumpHost, jumpAuthMethod, ...rest } = host;
  return {
    ...rest,
    hasCredential: credentialId !== null,
    jumpHost: jumpHost
      ? { hostId: jumpHost.id, name: jumpHost.name }
      : host.jumpAddress
        ? {
            address: host.jumpAddress,
            port: host.jumpPort ?? 22,
            username: host.jumpUsername,
            authMethod: jumpAuthMethod,
          }
        : null,
    createdAt: host.createdAt.toISOString(),
    updatedAt: host.updatedAt.toISOString(),
    lastScanAt: host.lastScanAt?.toISOString() ?? null,
    hostKeyPinnedAt: host.hostKeyPinnedAt?.toISOString() ?? null,
  };
}

export type HostDto = ReturnType<typeof toHostDto>;
