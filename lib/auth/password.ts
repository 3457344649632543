import crypto from "node:crypto";
import { promisify } from "node:util";
import { withHashSlot } from "./hash-slots";

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

// scrypt N=2^17, r=8, p=1: OWASP Password Storage Cheat Sheet (2025). Each hash needs 128 MiB (128·N·r bytes) and
// about 0.6 s of one core, hence the slots in hash-slots.ts. Parameters are stored with every hash, so older hashes
// still verify and are upgraded at the next successful login (needsRehash).
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1 };
// Above 128·N·r; also bounds what a stored hash may ask for.
const MAXMEM = 256 * 1024 * 1024;

const format = (salt: Buffer, hash: Buffer) =>
  `scrypt$${SCRYPT_PARAMS.N}$${SCRYPT_PARAMS.r}$${SCRYPT_PARAMS.p}$${salt.toString("base64")}$${hash.toString("base64")}`;

// Verifying against this costs what verifying a real current hash costs, so "no such user" and "disabled" take as
// long as "wrong password". It follows SCRYPT_PARAMS, so it stays equal when they rise.
export const DUMMY_HASH = format(Buffer.alloc(16), Buffer.alloc(32));

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await withHashSlot(() => scrypt(password, salt, 32, { ...SCRYPT_PARAMS, maxmem: MAXMEM }));
  return format(salt, hash);
}

function parse(stored: string) {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return null;
  return {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    salt: Buffer.from(salt, "base64"),
    hash: Buffer.from(hash, "base64"),
  };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  const actual = await withHashSlot(() => scrypt(password, salt, hash.length, { N, r, p, maxmem: MAXMEM }));
  return crypto.timingSafeEqual(actual, hash);
}

// True when a stored hash was made with other (older) parameters than SCRYPT_PARAMS.
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.N !== SCRYPT_PARAMS.N || parsed.r !== SCRYPT_PARAMS.r || parsed.p !== SCRYPT_PARAMS.p;
}

export function sha256Hex(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}
