import crypto, { createHash, type KeyObject } from "node:crypto";
import ssh2, { type ParsedKey } from "ssh2";

const { utils } = ssh2;

// ssh2's parsed keys keep PEM text and hand it to crypto.sign/verify on every call, so OpenSSL 3 decodes the
// PEM again for each signature: about 0.3 ms per ed25519 sign, the single largest cost of a scan's handshake
// in the bench profile. `withKeyObjects` wraps a parsed key so that sign and verify use KeyObjects decoded
// once. The wrapper inherits everything else (type, public blob, ssh2's internal markers) from the key itself.
export function withKeyObjects(parsed: ParsedKey): ParsedKey {
  const own = parsed as unknown as Record<symbol, unknown>;
  // ssh2 keeps the key's default hash (sha1 for ssh-rsa, sha256… for ECDSA, none for ed25519) under a private
  // symbol; without it we cannot sign the way ssh2 would, so the key is returned as it came.
  const hashSymbol = Object.getOwnPropertySymbols(parsed).find((s) => s.description === "Hash Algorithm");
  if (!hashSymbol) return parsed;
  const defaultHash = own[hashSymbol] as string | null | undefined;
  const privatePem = parsed.getPrivatePEM();
  const publicPem = parsed.getPublicPEM();
  const privateKey: KeyObject | null = privatePem ? crypto.createPrivateKey(privatePem) : null;
  const publicKey: KeyObject | null = publicPem ? crypto.createPublicKey(publicPem) : null;
  // ssh2 itself returns an Error from sign/verify rather than throwing; its typings leave that out.
  const fast = Object.create(parsed) as {
    sign: (data: Buffer, algo?: string) => Buffer | Error;
    verify: (data: Buffer, signature: Buffer, algo?: string) => boolean | Error;
  };
  fast.sign = (data: Buffer, algo?: string) => {
    if (!privateKey) return new Error("No private key available");
    try {
      return crypto.sign(algo || defaultHash || null, data, privateKey);
    } catch (err) {
      return err as Error;
    }
  };
  fast.verify = (data: Buffer, signature: Buffer, algo?: string) => {
    if (!publicKey) return new Error("No public key available");
    try {
      return crypto.verify(algo || defaultHash || null, data, publicKey, signature);
    } catch (err) {
      return err as Error;
    }
  };
  return fast as unknown as ParsedKey;
}

// Parses an OpenSSH/PEM private key the way ssh2's connect() would, with its error texts (configError in
// connect-config.ts recognises them), and returns it ready for fast signing.
export function parsePrivateKey(text: string | Buffer, passphrase?: string): ParsedKey {
  const parsed = utils.parseKey(text, passphrase);
  if (parsed instanceof Error) throw new Error(`Cannot parse privateKey: ${parsed.message}`);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key.getPrivatePEM() === null) throw new Error("privateKey value does not contain a (valid) private key");
  return withKeyObjects(key);
}

// Parsed credential keys, by a digest of the key text and passphrase. A scan of a host whose key was parsed
// before skips the parse (and, for an encrypted key, the bcrypt KDF, which takes tens of milliseconds). The
// keys live only in this process's memory, as they already do during every scan; the cache is bounded and
// least-recently-used entries leave first.
const MAX_CACHED_KEYS = 1024;
const cache = new Map<string, ParsedKey>();

export function cachedPrivateKey(text: string | Buffer, passphrase?: string): ParsedKey {
  const id = createHash("sha256")
    .update(text)
    .update("\0")
    .update(passphrase ?? "")
    .digest("base64");
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const key = parsePrivateKey(text, passphrase);
  cache.set(id, key);
  if (cache.size > MAX_CACHED_KEYS) cache.delete(cache.keys().next().value!);
  return key;
}
