import { getDb } from "../db";
import { loadCredential, openCredential, type SealedRow, type StoredSecret } from "../hosts/credentials";
import type { SshAuth, SshEndpoint, SshTarget } from "../ssh/types";

export type HostForTarget = {
  address: string;
  port: number;
  username: string;
  authMethod: "key" | "password" | "agent";
  credentialId: string | null;
  hostKeyFingerprint: string | null;
  jumpHostId: string | null;
  jumpAddress: string | null;
  jumpPort: number | null;
  jumpUsername: string | null;
  jumpHostKeyFingerprint: string | null;
};

function toAuth(method: HostForTarget["authMethod"], secret: StoredSecret | null): SshAuth {
  if (method === "agent" || !secret) return { type: "agent" };
  return "password" in secret ? { type: "password", password: secret.password } : { type: "key", privateKey: secret.privateKey, passphrase: secret.passphrase };
}

// Decrypts the credential here, in the worker, right before connecting; it never leaves this process.
// `sealed` is the host's credential row when the caller already fetched it with the scan (one round trip).
export async function buildTarget(host: HostForTarget, sealed?: SealedRow | null): Promise<SshTarget> {
  const secret = sealed ? openCredential(sealed) : host.credentialId ? await loadCredential(host.credentialId) : null;
  const auth = toAuth(host.authMethod, secret);
  const target: SshTarget = {
    host: host.address,
    port: host.port,
    username: host.username,
    auth,
    hostKey: { fingerprint: host.hostKeyFingerprint ?? undefined },
  };
  if (host.jumpHostId) {
    const jump = await getDb().host.findUniqueOrThrow({ where: { id: host.jumpHostId } });
    target.jump = {
      host: jump.address,
      port: jump.port,
      username: jump.username,
      auth: toAuth(jump.authMethod, jump.credentialId ? await loadCredential(jump.credentialId) : null),
      hostKey: { fingerprint: jump.hostKeyFingerprint ?? undefined },
    } satisfies SshEndpoint;
  } else if (host.jumpAddress) {
    // An unregistered bastion uses the target's own credential.
    target.jump = {
      host: host.jumpAddress,
      port: host.jumpPort ?? 22,
      username: host.jumpUsername ?? host.username,
      auth,
      hostKey: { fingerprint: host.jumpHostKeyFingerprint ?? undefined },
    };
  }
  return target;
}
