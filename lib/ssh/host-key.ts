import { createHash } from "node:crypto";

export type SeenHostKey = { algorithm: string; fingerprint: string };

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

// OpenSSH's format: "SHA256:" + base64 of sha256(key blob) without "=" padding, exactly what
// `ssh-keygen -lf` and known_hosts warnings print, so an operator can compare it by eye.
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(keyBlob).digest("base64").replace(/=+$/, "")}`;
}

// The key blob starts with its own type as an SSH string (uint32 length + name), e.g. "ssh-ed25519".
// That name, not the negotiated signature algorithm (rsa-sha2-512 for an ssh-rsa key), is what OpenSSH records.
export function algorithmOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return "unknown";
  const length = keyBlob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > keyBlob.length) return "unknown";
  return keyBlob.subarray(4, 4 + length).toString("latin1");
}

export function describeHostKey(keyBlob: Buffer): SeenHostKey {
  return { algorithm: algorithmOf(keyBlob), fingerprint: fingerprintOf(keyBlob) };
}

export function isSha256Fingerprint(value: string): boolean {
  return FINGERPRINT.test(value);
}

// Accepts a pasted fingerprint with surrounding space or base64 padding; anything else is a caller bug
// (registration validates the format), so it throws instead of silently never matching.
export function normalizeFingerprint(value: string): string {
  const trimmed = value.trim().replace(/=+$/, "");
  if (!FINGERPRINT.test(trimmed)) {
    throw new TypeError('pinned host key fingerprint must look like "SHA256:" + 43 base64 characters');
  }
  return trimmed;
}

// Records a key seen on first use where it is kept (the scan layer writes it to the database) and answers with
// the fingerprint now pinned there: the seen one, or one a concurrent scan pinned first.
export type PinOnFirstUse = (seen: SeenHostKey) => Promise<string>;

export type HostKeyCheck = {
  // Passed to ssh2 as hostVerifier: it receives the raw key blob (no hostHash set). Returns the answer, or
  // undefined when it will answer through `done` (first use with a pin callback).
  verify: (keyBlob: Buffer, done?: (ok: boolean) => void) => boolean | undefined;
  seen: () => SeenHostKey | undefined;
  mismatch: () => { expected: string; presented: SeenHostKey } | undefined;
  // Why a first-use key could not be pinned (the pin callback failed); the connection was refused.
  pinFailure: () => string | undefined;
};

// Pinned: only that fingerprint passes. Not pinned: trust on first use. With `pinOnFirstUse` the key is pinned
// during the handshake, BEFORE any credential is sent, so a host that fails authentication (or an impostor that
// answers the retries) cannot be offered the secret again under another key (issue 12). Without it, the caller
// records the reported key after the scan. Either way ssh2 still checks the server's signature with this key.
export function hostKeyCheck(pinned: string | undefined, pinOnFirstUse?: PinOnFirstUse): HostKeyCheck {
  const expected = pinned === undefined ? undefined : normalizeFingerprint(pinned);
  let seen: SeenHostKey | undefined;
  let mismatch: { expected: string; presented: SeenHostKey } | undefined;
  let pinFailure: string | undefined;
  return {
    verify(keyBlob, done) {
      const key = describeHostKey(keyBlob);
      seen = key;
      if (expected !== undefined) {
        if (key.fingerprint === expected) return true;
        mismatch = { expected, presented: key };
        return false;
      }
      if (!pinOnFirstUse || !done) return true;
      pinOnFirstUse(key).then(
        (now) => {
          if (now !== key.fingerprint) mismatch = { expected: now, presented: key };
          done(now === key.fingerprint);
        },
        (err: unknown) => {
          pinFailure = err instanceof Error ? err.message : String(err);
          done(false);
        },
      );
      return undefined;
    },
    seen: () => seen,
    mismatch: () => mismatch,
    pinFailure: () => pinFailure,
  };
}
