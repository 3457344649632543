// The bcrypt round count of an encrypted OpenSSH private key, read without decrypting anything (issue 12).
// The key file chooses its own KDF cost, and ssh2 runs bcrypt_pbkdf synchronously in parseKey: a pasted key
// with 2^31 rounds would hold the event loop for days. Read the count first and refuse absurd ones.

// ssh-keygen's default is 16 rounds (`-a`) and guides suggest up to 100. Each round costs about 20 ms of one core
// in ssh2's JavaScript bcrypt here, and a scan worker decrypts a stored key once (then caches it): 128 rounds,
// about 2.7 s, is the most a key may ask for.
export const MAX_KEY_KDF_ROUNDS = 128;

const BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
const END = "-----END OPENSSH PRIVATE KEY-----";
const MAGIC = "openssh-key-v1\0";

// A length-prefixed SSH string at `pos`, or null when it runs past the buffer.
function readString(buf: Buffer, pos: number): { value: Buffer; next: number } | null {
  if (pos + 4 > buf.length) return null;
  const length = buf.readUInt32BE(pos);
  const start = pos + 4;
  if (length > buf.length - start) return null;
  return { value: buf.subarray(start, start + length), next: start + length };
}

/** The bcrypt rounds of an OpenSSH-format private key; null when the text is not one, is not bcrypt-encrypted,
 * or is malformed. Never throws; linear in the text (one indexOf pair and one native base64 decode). */
export function keyKdfRounds(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const begin = text.indexOf(BEGIN);
  if (begin < 0) return null;
  const end = text.indexOf(END, begin + BEGIN.length);
  if (end < 0) return null;
  // Buffer.from(…, "base64") skips whitespace and stops at the first character outside the alphabet.
  const data = Buffer.from(text.slice(begin + BEGIN.length, end), "base64");
  if (data.length < MAGIC.length || data.toString("latin1", 0, MAGIC.length) !== MAGIC) return null;
  const cipher = readString(data, MAGIC.length);
  if (!cipher) return null;
  const kdf = readString(data, cipher.next);
  if (!kdf || kdf.value.toString("latin1") !== "bcrypt") return null;
  const options = readString(data, kdf.next);
  if (!options) return null;
  const salt = readString(options.value, 0);
  if (!salt || salt.next + 4 > options.value.length) return null;
  return options.value.readUInt32BE(salt.next);
}

/** The field error for a key whose KDF is too expensive to run, or null when the key may be parsed. */
export function checkKeyKdfRounds(text: unknown): string | null {
  const rounds = keyKdfRounds(text);
  if (rounds === null || rounds <= MAX_KEY_KDF_ROUNDS) return null;
  return (
    `this key's passphrase uses ${rounds} bcrypt rounds; DAXboard reads keys with at most ${MAX_KEY_KDF_ROUNDS} ` +
    `(ssh-keygen's default is 16): re-encrypt it with \`ssh-keygen -p -a 16 -f KEYFILE\``
  );
}
