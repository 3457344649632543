import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { config } from "../config";
import { open } from "../crypto/secret-box";
import { decodeSecretKey } from "../crypto/secret-key";

// The other half of a backup: the key that seals the SSH secrets in it. Found the way the app finds it, but never
// generated here: a new key would not open a restored secret.
export type SecretKeySource = { where: string; key: Buffer | undefined };

export function findSecretKey(): SecretKeySource {
  const fromEnv = config.secretKey();
  if (fromEnv) return { where: "DAXBOARD_SECRET_KEY (set in this environment)", key: decodeSecretKey(fromEnv) };
  const file = path.join(config.dataDir(), "secret.key");
  const key = fs.existsSync(file) ? decodeSecretKey(fs.readFileSync(file, "utf8")) : undefined;
  return { where: file, key };
}

export function keepKeyNote(source: SecretKeySource): string {
  return (
    `Keep the secret key with it, stored apart from the backup: ${source.where}. ` +
    `Without that key the SSH secrets in the backup cannot be decrypted.`
  );
}

// After a restore: whether the restored secrets open with the key this machine would use. One line, or undefined
// when all is well.
export async function restoredKeyProblem(client: pg.Client, source: SecretKeySource): Promise<string | undefined> {
  const { rows } = await client.query<{ ciphertext: Buffer; iv: Buffer; authTag: Buffer; n: number }>(
    `select "ciphertext", "iv", "authTag", count(*) over ()::int as n from "Credential" limit 1`,
  );
  const row = rows[0];
  if (!row) return undefined;
  if (!source.key)
    return (
      `no secret key here yet: put back the key kept with the backup (${source.where}, or set ` +
      `DAXBOARD_SECRET_KEY) before starting, or the ${row.n} restored SSH secret(s) cannot be decrypted`
    );
  try {
    open(row, source.key);
    return undefined;
  } catch {
    return (
      `the ${row.n} restored SSH secret(s) do not open with ${source.where}: use the key that was in place when ` +
      `the backup was made`
    );
  }
}
