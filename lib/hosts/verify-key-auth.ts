import { AppError } from "../api/errors";
import { checkKeyOffThread } from "../ssh/check-key-off-thread";
import { keyKdfRounds } from "../ssh/key-kdf";
import type { AuthInput } from "./host-input";

// The expensive half of key validation: an encrypted OpenSSH key is decrypted with its passphrase in a worker
// thread (host-input.ts checks everything cheap, including the round cap, synchronously). `field` is where the
// auth object sits in the request, e.g. "auth" or "jumpHost.auth".
export async function verifyKeyAuth(auth: AuthInput | undefined, field: string): Promise<void> {
  if (!auth || auth.type !== "key" || keyKdfRounds(auth.privateKey) === null) return;
  const result = await checkKeyOffThread(auth.privateKey, auth.passphrase);
  if (result.ok && result.isPrivate) return;
  if (result.ok)
    throw new AppError(
      "invalid_input",
      `${field}.privateKey: this is a public key; paste the private key`,
      422,
      `${field}.privateKey`,
    );
  if ("timedOut" in result && result.timedOut) {
    throw new AppError(
      "invalid_input",
      `${field}.privateKey: decrypting this key took too long; re-encrypt it with fewer rounds (ssh-keygen -p -a 16 -f KEYFILE)`,
      422,
      `${field}.privateKey`,
    );
  }
  throw new AppError(
    "invalid_input",
    `${field}.passphrase: this private key is encrypted: give its passphrase (or the one given is wrong)`,
    422,
    `${field}.passphrase`,
  );
}
