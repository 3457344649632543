import fs from "node:fs";
import pg from "pg";
import { open } from "../crypto/secret-box";
import { configuredSecretKey, secretKeyFile } from "../crypto/secret-key";
import { StartupError } from "../db/startup-error";

type SealedRow = { ciphertext: Buffer; iv: Buffer; authTag: Buffer };

async function oneStoredSecret(url: string): Promise<SealedRow | undefined> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<SealedRow>(`select ciphertext, iv, "authTag" from "Credential" limit 1`);
    return rows[0];
  } finally {
    await client.end().catch(() => undefined);
  }
}

const opens = (row: SealedRow, key: Buffer) => {
  try {
    open(row, key);
    return true;
  } catch {
    return false;
  }
};

// An interrupted `npm run secret:rotate` can leave the database sealed with the key in secret.key.next.
function rotationHint(): string {
  const next = `${secretKeyFile()}.next`;
  return fs.existsSync(next) ? `; ${next} is left from an interrupted npm run secret:rotate: run it again` : "";
}

function readConfiguredKey() {
  try {
    return configuredSecretKey();
  } catch (err) {
    throw new StartupError((err as Error).message);
  }
}

// The app decrypts SSH secrets only when it scans, long after it started: a wrong key would surface as every scan
// failing. So the launcher tries the configured key on one stored secret first. A missing key file is not
// generated here (the app would make a fresh key that opens nothing).
export async function checkSecretKey(url: string): Promise<void> {
  const configured = readConfiguredKey();
  const row = await oneStoredSecret(url);
  if (!row) return;
  if (!configured) {
    throw new StartupError(
      `${secretKeyFile()} is missing but the database holds sealed SSH secrets: restore that file from your ` +
        `backup, or set DAXBOARD_SECRET_KEY to the key the data was sealed with`,
    );
  }
  if (opens(row, configured.key)) return;
  throw new StartupError(
    `${configured.source} does not decrypt the stored SSH secrets: the key must be the one the data was ` +
      `sealed with${rotationHint()}`,
  );
}
