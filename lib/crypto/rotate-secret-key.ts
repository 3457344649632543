import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../db";
import { open, seal } from "./secret-box";

export type RotationResult = { credentials: number; keyVersion: number };

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
      return { credentials: rows.length, keyVersion: Math.max(1, ...resealed.map((r) => r.keyVersion)) };
    },
    { timeout: 600_000, maxWait: 10_000 },
  );
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
