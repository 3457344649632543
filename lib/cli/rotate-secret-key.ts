// npm run secret:rotate : re-seal every stored SSH secret with a new DAXBOARD_SECRET_KEY (SECURITY.md).
// Stop the app and every `npm run worker` first: a process still holding the old key cannot open the secrets.
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";
import { closeDb, getDb } from "../db";
import { deployMigrations } from "../db/migrate";
import { resolveDatabase } from "../db/resolve-database";
import { commitNextKey, generateKey, keyFiles, resealCredentials, writeNextKey } from "../crypto/rotate-secret-key";
import { open } from "../crypto/secret-box";
import { decodeSecretKey, resetSecretKeyCache, secretKey } from "../crypto/secret-key";

// A previous run that committed the database but died before renaming the key file: finish it.
async function finishPendingRotation(dataDir: string): Promise<boolean> {
  const { next } = keyFiles(dataDir);
  if (!fs.existsSync(next)) return false;
  const candidate = decodeSecretKey(fs.readFileSync(next, "utf8"));
  const row = await getDb().credential.findFirst({ select: { ciphertext: true, iv: true, authTag: true } });
  let opens = true;
  try {
    if (row)
      open(
        { ciphertext: Buffer.from(row.ciphertext), iv: Buffer.from(row.iv), authTag: Buffer.from(row.authTag) },
        candidate,
      );
  } catch {
    opens = false;
  }
  if (opens && row) {
    commitNextKey(dataDir);
    process.stderr.write("secret:rotate: finished an interrupted rotation (secret.key.next now is secret.key)\n");
    return true;
  }
  fs.rmSync(next);
  return false;
}

async function main(): Promise<number> {
  const fromEnv = Boolean(config.secretKey());
  const newFromEnv = process.env.DAXBOARD_NEW_SECRET_KEY;
  if (fromEnv && !newFromEnv) {
    process.stderr.write(
      "secret:rotate: DAXBOARD_SECRET_KEY is set, so the new key must come from you too: set DAXBOARD_NEW_SECRET_KEY\n" +
        "(e.g. `openssl rand -hex 32`), run this again, then give every app and worker the new key as DAXBOARD_SECRET_KEY.\n",
    );
    return 2;
  }
  const db = await resolveDatabase();
  process.env.DATABASE_URL = db.url;
  try {
    await deployMigrations({ url: db.url, migrationsDir: path.resolve("prisma/migrations") });
    const dataDir = config.dataDir();
    if (!fromEnv && (await finishPendingRotation(dataDir))) return 0;
    resetSecretKeyCache();
    const oldKey = secretKey();
    const newKey = newFromEnv ? decodeSecretKey(newFromEnv) : generateKey();
    if (!fromEnv) writeNextKey(dataDir, newKey);
    const result = await resealCredentials(oldKey, newKey);
    if (!fromEnv) commitNextKey(dataDir);
    process.stderr.write(
      `secret:rotate: ${result.credentials} credential(s) and ${result.webhookSecrets} webhook secret(s) re-sealed (key version ${result.keyVersion}).\n` +
        (fromEnv
          ? "Now set DAXBOARD_SECRET_KEY to the value of DAXBOARD_NEW_SECRET_KEY for the app and every worker, and restart them.\n"
          : `The new key is in ${keyFiles(dataDir).current}; back it up with the database. Restart the app.\n`),
    );
    return 0;
  } catch (err) {
    if (!fromEnv) fs.rmSync(keyFiles(config.dataDir()).next, { force: true });
    process.stderr.write(`secret:rotate: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await closeDb();
    await db.stop();
  }
}

main().then((code) => process.exit(code));
