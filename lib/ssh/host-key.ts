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

export type HostKeyCheck = {
  // Passed to ssh2 as hostVerifier: it receives the raw key blob (no hostHash set).
  verify: (keyBlob: Buffer) => boolean;
  seen: () => SeenHostKey | undefined;
  mismatch: () => { expected: string; presented: SeenHostKey } | undefined;
};

// Pinned: only that fingerprint passes. Not pinned: trust on first use, i.e. accept and report what was seen
// so the caller can record it. Either way ssh2 still checks the server's signature with this key afterwards.
export function hostKeyCheck(pinned: string | undefined): HostKeyCheck {
  const expected = pinned === undefined ? undefined : normalizeFingerprint(pinned);
  let seen: SeenHostKey | undefined;
  let mismatch: { expected: string; presented: SeenHostKey } | undefined;
  return {
    verify(keyBlob) {
      seen = describeHostKey(keyBlob);
      if (expected !== undefined && seen.fingerprint !== expected) {
        mismatch = { expected, presented: seen };
        return false;
      }
      return true;
    },
    seen: () => seen,
    mismatch: () => mismatch,
  };
}
