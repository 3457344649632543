import { getDb } from "../db";
import { loadCredential, openCredential, type SealedRow, type StoredSecret } from "../hosts/credentials";
import { ScanError } from "../ssh/errors";
import type { SshAuth, SshEndpoint, SshTarget } from "../ssh/types";
import { pinFirstUseKey } from "./pin-first-use";

type Method = "key" | "password" | "agent";

export type HostForTarget = {
  address: string;
  port: number;
  username: string;
  authMethod: Method;
  credentialId: string | null;
  credentialReviewRequired: boolean;
  hostKeyFingerprint: string | null;
  jumpHostId: string | null;
  jumpAddress: string | null;
  jumpPort: number | null;
  jumpUsername: string | null;
  jumpHostKeyFingerprint: string | null;
  jumpAuthMethod: Method | null;
  jumpCredentialId: string | null;
};

function held(role: "target" | "jump", message: string): ScanError {
  return new ScanError("credential-held", message, { host: role, phase: "auth" });
}

// A key or password host without its credential row fails here; it never falls back to the server's SSH agent.
function toAuth(method: Method, secret: StoredSecret | null, role: "target" | "jump", name: string): SshAuth {
  if (method === "agent") return { type: "agent" };
  if (!secret) {
    throw held(role, `The stored ${method} for ${name} is missing; an admin must enter it again on the host's page.`);
  }
  return "password" in secret
    ? { type: "password", password: secret.password }
    : { type: "key", privateKey: secret.privateKey, passphrase: secret.passphrase };
}

async function secretOf(credentialId: string | null, sealed?: SealedRow | null): Promise<StoredSecret | null> {
  if (sealed) return openCredential(sealed);
  if (!credentialId) return null;
  return loadCredential(credentialId).catch(() => null);
}

// Decrypts the credentials here, in the worker, right before connecting; they never leave this process. Each
// secret goes only to the host it was entered for: the target's to the target, a registered jump host's to
// that host, an inline jump host's own to it (issue 12). Keys seen on first use are pinned before any of
// them is sent. `sealed` is the host's credential row when the caller already fetched it with the scan.
export async function buildTarget(hostId: string, host: HostForTarget, sealed?: SealedRow | null): Promise<SshTarget> {
  if (host.credentialReviewRequired) {
    throw held(
      "target",
      "The host's address or jump host changed, so its stored credential is held until an admin re-enters or confirms it.",
    );
  }
  const target: SshTarget = {
    host: host.address,
    port: host.port,
    username: host.username,
    auth: toAuth(
      host.authMethod,
      host.authMethod === "agent" ? null : await secretOf(host.credentialId, sealed),
      "target",
      "this host",
    ),
    hostKey: {
      fingerprint: host.hostKeyFingerprint ?? undefined,
      pinOnFirstUse: (seen) => pinFirstUseKey({ kind: "host", hostId }, seen),
    },
  };
  if (host.jumpHostId) {
    const jump = await getDb().host.findUnique({ where: { id: host.jumpHostId } });
    if (!jump) throw held("jump", "The registered jump host no longer exists; an admin must choose another.");
    if (jump.credentialReviewRequired) {
      throw held(
        "jump",
        `The jump host ${jump.name} changed address, so its stored credential is held until an admin re-enters or confirms it.`,
      );
    }
    const jumpId = jump.id;
    target.jump = {
      host: jump.address,
      port: jump.port,
      username: jump.username,
      auth: toAuth(
        jump.authMethod,
        jump.authMethod === "agent" ? null : await secretOf(jump.credentialId),
        "jump",
        `the jump host ${jump.name}`,
      ),
      hostKey: {
        fingerprint: jump.hostKeyFingerprint ?? undefined,
        pinOnFirstUse: (seen) => pinFirstUseKey({ kind: "host", hostId: jumpId }, seen),
      },
    } satisfies SshEndpoint;
  } else if (host.jumpAddress) {
    if (!host.jumpAuthMethod) {
      throw held(
        "jump",
        "The jump host has no credential of its own (it used to borrow this host's); an admin must enter one for it.",
      );
    }
    target.jump = {
      host: host.jumpAddress,
      port: host.jumpPort ?? 22,
      username: host.jumpUsername ?? host.username,
      auth: toAuth(
        host.jumpAuthMethod,
        host.jumpAuthMethod === "agent" ? null : await secretOf(host.jumpCredentialId),
        "jump",
        "the jump host",
      ),
      hostKey: {
        fingerprint: host.jumpHostKeyFingerprint ?? undefined,
        pinOnFirstUse: (seen) => pinFirstUseKey({ kind: "inline-jump", hostId }, seen),
      },
    };
  }
  return target;
}
