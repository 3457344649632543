import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";

let cached: Buffer | undefined;

export function decodeSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("DAXBOARD_SECRET_KEY must be 32 bytes, as 64 hex characters or base64");
  return key;
}

export const secretKeyFile = () => path.join(config.dataDir(), "secret.key");

// The key as configured now, without generating one: DAXBOARD_SECRET_KEY, else DATA_DIR/secret.key if present.
// `source` names where it came from, for messages.
export function configuredSecretKey(): { key: Buffer; source: string } | undefined {
  const fromEnv = config.secretKey();
  if (fromEnv) return { key: decodeSecretKey(fromEnv), source: "DAXBOARD_SECRET_KEY" };
  const file = secretKeyFile();
  if (!fs.existsSync(file)) return undefined;
  return { key: decodeSecretKey(fs.readFileSync(file, "utf8")), source: `the secret key in ${file}` };
}

// The AES-256 key for credentials: DAXBOARD_SECRET_KEY when set, else a key generated once into the data
// directory with mode 0600 (the embedded default). Workers on other machines need the same key.
export function secretKey(): Buffer {
  if (cached) return cached;
  const fromEnv = config.secretKey();
  if (fromEnv) return (cached = decodeSecretKey(fromEnv));
  const file = secretKeyFile();
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString("hex") + "\n", { mode: 0o600, flag: "wx" });
    } catch (err) {
      // Another process won the race: read what it wrote.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
  }
  return (cached = decodeSecretKey(fs.readFileSync(file, "utf8")));
}

export function resetSecretKeyCache(): void {
  cached = undefined;
}
