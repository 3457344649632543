import { open, seal } from "../crypto/secret-box";
import { secretKey } from "../crypto/secret-key";

// Its own AAD: a sealed webhook secret cannot be passed off as an SSH credential, nor the reverse.
const AAD = "daxboard-webhook-secret-v1";

export type SealedSecretColumns = {
  secretCiphertext: Uint8Array | null;
  secretIv: Uint8Array | null;
  secretAuthTag: Uint8Array | null;
};

export function sealWebhookSecret(secret: string) {
  const sealed = seal(secret, secretKey(), AAD);
  return {
    secretCiphertext: new Uint8Array(sealed.ciphertext),
    secretIv: new Uint8Array(sealed.iv),
    secretAuthTag: new Uint8Array(sealed.authTag),
  };
}

export function openWebhookSecret(row: SealedSecretColumns): string | null {
  if (!row.secretCiphertext || !row.secretIv || !row.secretAuthTag) return null;
  const sealed = {
    ciphertext: Buffer.from(row.secretCiphertext),
    iv: Buffer.from(row.secretIv),
    authTag: Buffer.from(row.secretAuthTag),
  };
  return open(sealed, secretKey(), AAD);
}
