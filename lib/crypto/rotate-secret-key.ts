import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../db";
import { open, seal } from "./secret-box";

export type RotationResult = { credentials: number; webhookSecrets: number; keyVersion: number };

// lib/webhooks/webhook-secret.ts seals webhook signing secrets under their own AAD.
const WEBHOOK_AAD = "daxboard-webhook-secret-v1";

// Re-seals every Credential with a new key in ONE transaction: either all secrets move to the new key or none do.
// The old key must open every row; a row it cannot open stops the rotation before anything is written (the
// database then holds secrets sealed with some other key, which the operator must sort out first).
export async function resealCredentials(oldKey: Buffer, newKey: Buffer): Promise<RotationResult> {
  if (oldKey.equals(newKey)) throw new Error("the new key is the same as the current one");
  return getDb().$transaction(
    async (tx) => {
      const rows = await tx.$queryRaw<
        { id: string; ciphertext: Uint8Array; iv: Uint8Array; authTag: Uint8Array; keyVersion: number }[]
      >`
        select id, ciphertext, iv, "authTag", "keyVersion" from "Credential" order by id for update`;
      const resealed = rows.map((row) => {
        let plaintext: string;
        try {
          plaintext = open(
            { ciphertext: Buffer.from(row.ciphertext), iv: Buffer.from(row.iv), authTag: Buffer.from(row.authTag) },
            oldKey,
          );
        } catch {
          throw new Error(`credential ${row.id} does not open with the current key; nothing was changed`);
        }
        return { id: row.id, keyVersion: row.keyVersion + 1, ...seal(plaintext, newKey) };
      });
      for (const row of resealed) {
        await tx.credential.update({
          where: { id: row.id },
          data: {
            ciphertext: new Uint8Array(row.ciphertext),
            iv: new Uint8Array(row.iv),
            authTag: new Uint8Array(row.authTag),
            keyVersion: row.keyVersion,
          },
        });
      }
      const webhookSecrets = await resealWebhookSecrets(tx, oldKey, newKey);
      return {
        credentials: rows.length,
        webhookSecrets,
        keyVersion: Math.max(1, ...resealed.map((r) => r.keyVersion)),
      };
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
}

type Tx = Parameters<Parameters<ReturnType<typeof getDb>["$transaction"]>[0]>[0];

// Webhook signing secrets move with the credentials, in the same transaction: a rotation that left them behind
// would make every signed endpoint fail until an admin re-entered its secret.
async function resealWebhookSecrets(tx: Tx, oldKey: Buffer, newKey: Buffer): Promise<number> {
  const rows = await tx.$queryRaw<{ id: string; ciphertext: Uint8Array; iv: Uint8Array; authTag: Uint8Array }[]>`
    select id, "secretCiphertext" as ciphertext, "secretIv" as iv, "secretAuthTag" as "authTag" from "Webhook"
    where "secretCiphertext" is not null order by id for update`;
  for (const row of rows) {
    let plaintext: string;
    try {
      const sealed = {
        ciphertext: Buffer.from(row.ciphertext),
        iv: Buffer.from(row.iv),
        authTag: Buffer.from(row.authTag),
      };
      plaintext = open(sealed, oldKey, WEBHOOK_AAD);
    } catch {
      throw new Error(`webhook ${row.id}'s signing secret does not open with the current key; nothing was changed`);
    }
    const next = seal(plaintext, newKey, WEBHOOK_AAD);
    await tx.webhook.update({
      where: { id: row.id },
      data: {
        secretCiphertext: new Uint8Array(next.ciphertext),
        secretIv: new Uint8Array(next.iv),
        secretAuthTag: new Uint8Array(next.authTag),
      },
    });
  }
  return rows.length;
}

// The embedded default keeps its key in DATA_DIR/secret.key. The new key is written to secret.key.next (0600)
// BEFORE the database changes, and renamed over secret.key after they commit, so a crash in between leaves the
// new key on disk; running the rotation again finishes the rename (finishPendingRotation).
export function keyFiles(dataDir: string) {
  return { current: path.join(dataDir, "secret.key"), next: path.join(dataDir, "secret.key.next") };
}

export function writeNextKey(dataDir: string, key: Buffer): void {
  const { next } = keyFiles(dataDir);
  fs.writeFileSync(next, key.toString("hex") + "\n", { mode: 0o600 });
  fs.chmodSync(next, 0o600);
}

export function commitNextKey(dataDir: string): void {
  const { current, next } = keyFiles(dataDir);
  fs.renameSync(next, current);
}

export function generateKey(): Buffer {
  return crypto.randomBytes(32);
}
