import crypto from "node:crypto";

export type Sealed = { ciphertext: Buffer; iv: Buffer; authTag: Buffer };

// AES-256-GCM with a fresh 96-bit IV per secret; the auth tag makes tampering fail loudly on open.
export function seal(plaintext: string, key: Buffer, aad = "daxboard-credential-v1"): Sealed {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { ciphertext, iv, authTag: cipher.getAuthTag() };
}

export function open(sealed: Sealed, key: Buffer, aad = "daxboard-credential-v1"): string {
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, sealed.iv);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.authTag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
}
