import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { open, seal } from "../crypto/secret-box";
import { secretKey } from "../crypto/secret-key";
import type { AuthInput } from "./host-input";

export type StoredSecret = { privateKey: string; passphrase?: string } | { password: string };

type CredentialClient = Pick<Prisma.TransactionClient, "credential">;

// Seals a key or password into a new Credential row; agent auth stores nothing.
export async function storeCredential(auth: AuthInput, client: CredentialClient = getDb()): Promise<string | null> {
  if (auth.type === "agent") return null;
  const secret: StoredSecret =
    auth.type === "key" ? { privateKey: auth.privateKey, passphrase: auth.passphrase } : { password: auth.password };
  const sealed = seal(JSON.stringify(secret), secretKey());
  const row = await client.credential.create({
    data: {
      kind: auth.type,
      ciphertext: new Uint8Array(sealed.ciphertext),
      iv: new Uint8Array(sealed.iv),
      authTag: new Uint8Array(sealed.authTag),
    },
    select: { id: true },
  });
  return row.id;
}

export type SealedRow = { ciphertext: Uint8Array; iv: Uint8Array; authTag: Uint8Array };

// Decrypts a sealed credential row. Only the scan worker calls this, right before it connects.
export function openCredential(row: SealedRow): StoredSecret {
  const text = open(
    { ciphertext: Buffer.from(row.ciphertext), iv: Buffer.from(row.iv), authTag: Buffer.from(row.authTag) },
    secretKey(),
  );
  return JSON.parse(text) as StoredSecret;
}

export async function loadCredential(credentialId: string): Promise<StoredSecret> {
  const row = await getDb().credential.findUniqueOrThrow({
    where: { id: credentialId },
    select: { ciphertext: true, iv: true, authTag: true },
  });
  return openCredential(row);
}
