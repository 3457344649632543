import { getDb } from "../db";
import { loadCredential } from "../hosts/credentials";
import type { SshAuth, SshEndpoint, SshTarget } from "../ssh/types";

type HostForTarget = {
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

// Decrypts the credential here, in the worker, right before connecting; it never leaves this process.
async function authFor(method: HostForTarget["authMethod"], credentialId: string | null): Promise<SshAuth> {
  if (method === "agent" || !credentialId) return { type: "agent" };
  const secret = await loadCredential(credentialId);
  return "password" in secret ? { type: "password", password: secret.password } : { type: "key", privateKey: secret.privateKey, passphrase: secret.passphrase };
}

export async function buildTarget(host: HostForTarget): Promise<SshTarget> {
  const auth = await authFor(host.authMethod, host.credentialId);
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
      auth: await authFor(jump.authMethod, jump.credentialId),
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
