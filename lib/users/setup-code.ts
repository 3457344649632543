import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";

// The one-time first-run code (issue 12), as Jenkins' initialAdminPassword: printed on the server console and kept
// in DATA_DIR/setup-code (mode 0600, beside secret.key, which guards far more), so that the app instance that
// answers /setup knows it, a restart prints the same code again, and only someone with the console or the data
// directory can claim the first admin account. The file is removed once an admin exists.

// 16 symbols from a 32-letter alphabet without 0/O/1/I: 80 bits, typed as XXXX-XXXX-XXXX-XXXX.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export const setupCodeFile = () => path.join(config.dataDir(), "setup-code");

function generate(): string {
  const symbols = Array.from(crypto.randomBytes(16), (byte) => ALPHABET[byte % 32]).join("");
  return symbols.match(/.{4}/g)!.join("-");
}

// Case, spaces and dashes do not matter when the code is typed in.
export const normalizeSetupCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, "");

function readCode(): string | null {
  try {
    return fs.readFileSync(setupCodeFile(), "utf8").trim() || null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

// The current code, made if there is none yet. Call only while no user exists.
export function ensureSetupCode(): { code: string; created: boolean } {
  const existing = readCode();
  if (existing) return { code: existing, created: false };
  const code = generate();
  fs.mkdirSync(config.dataDir(), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(setupCodeFile(), code + "\n", { mode: 0o600, flag: "wx" });
  } catch (err) {
    // Another instance wrote one first: that one counts.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return { code: readCode() ?? code, created: false };
  }
  return { code, created: true };
}

export function printSetupCode(
  code: string,
  print: (line: string) => void = (line) => process.stdout.write(line),
): void {
  print(
    `\ndaxboard: no user exists yet. Open /setup and enter this one-time setup code to create the first admin:\n` +
      `\n    ${code}\n\n` +
      `daxboard: (it is also in ${setupCodeFile()}, readable only by this user)\n\n`,
  );
}

export function verifySetupCode(given: string): boolean {
  const expected = readCode();
  if (!expected) return false;
  const a = crypto.createHash("sha256").update(normalizeSetupCode(given)).digest();
  const b = crypto.createHash("sha256").update(normalizeSetupCode(expected)).digest();
  return crypto.timingSafeEqual(a, b);
}

export function clearSetupCode(): void {
  fs.rmSync(setupCodeFile(), { force: true });
}
