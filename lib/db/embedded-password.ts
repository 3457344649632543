import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// The password every embedded data directory had before issue 12. A data directory still using it is moved to
// the generated password at start (lib/db/embedded.ts).
export const LEGACY_EMBEDDED_PASSWORD = "daxboard";

export const embeddedPasswordFile = (dataDir: string) => path.join(dataDir, "pg-password");

// The embedded PostgreSQL's password: generated once into dataDir/pg-password (mode 0600, beside secret.key) and
// reused. Any local user can reach 127.0.0.1, so the password is all that keeps them out of the database.
export function readOrCreateEmbeddedPassword(dataDir: string): string {
  const file = embeddedPasswordFile(dataDir);
  try {
    fs.writeFileSync(file, crypto.randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    // Made on an earlier start, or by another process that won the race: read what is there.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  // A copy or a restore may have widened the mode; the file is only ever read by the app's own user.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const password = fs.readFileSync(file, "utf8").trim();
  if (!/^[0-9a-f]{32,}$/.test(password)) throw new Error(`${file} does not hold a generated password; delete it`);
  return password;
}

// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 7677, as libpq's PQencryptPasswordConn makes
// it), so ALTER ROLE never carries the password itself into the server's statement log or pg_stat_activity.
export function scramSha256Verifier(password: string, iterations = 4096): string {
  const salt = crypto.randomBytes(16);
  const salted = crypto.pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const hmac = (key: Buffer, text: string) => crypto.createHmac("sha256", key).update(text).digest();
  const storedKey = crypto.createHash("sha256").update(hmac(salted, "Client Key")).digest();
  const serverKey = hmac(salted, "Server Key");
  const b64 = (bytes: Buffer) => bytes.toString("base64");
  return `SCRAM-SHA-256$${iterations}:${b64(salt)}$${b64(storedKey)}:${b64(serverKey)}`;
}
