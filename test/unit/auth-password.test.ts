import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { DUMMY_HASH, hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword } from "@/lib/auth/password";
import { HASH_SLOTS, withHashSlot } from "@/lib/auth/hash-slots";
import { RetryLaterError } from "@/lib/api/retry-later";

// A hash made the way DAXboard did before issue 12 (scrypt N=2^15).
function legacyHash(password: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt$32768$8$1$${salt.toString("base64")}$${hash.toString("base64")}`;
}

describe("password hashing (OWASP scrypt parameters)", () => {
  it("hashes with scrypt N=2^17, r=8, p=1 and stores the parameters", async () => {
    expect(SCRYPT_PARAMS).toEqual({ N: 131072, r: 8, p: 1 });
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it("still verifies an older hash, and flags it for an upgrade", async () => {
    const old = legacyHash("an old password");
    expect(await verifyPassword("an old password", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });

  it("keeps the dummy hash at the current cost, so an unknown user costs what a real one does", async () => {
    expect(needsRehash(DUMMY_HASH)).toBe(false);
    expect(await verifyPassword("anything", DUMMY_HASH)).toBe(false);
  });
});

describe("hash slots", () => {
  it("runs a few hashes at once, queues a few, and refuses the rest with a retryable 503", async () => {
    const gates: Array<() => void> = [];
    const blocked = () => new Promise<void>((resolve) => gates.push(resolve));
    const held = Array.from({ length: HASH_SLOTS.running + HASH_SLOTS.waiting }, () => withHashSlot(blocked));
    // Only the running ones have started; the waiting ones are queued behind them.
    await new Promise((r) => setTimeout(r, 10));
    expect(gates.length).toBe(HASH_SLOTS.running);

    const refused = await hashPassword("one too many").catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RetryLaterError);
    expect(refused).toMatchObject({ status: 503, code: "busy", retryAfterSeconds: 1 });
    const refusedVerify = await verifyPassword("x", DUMMY_HASH).catch((err: unknown) => err);
    expect(refusedVerify).toBeInstanceOf(RetryLaterError);

    // Releasing hands each slot to the next waiter until everything has run.
    while (gates.length < held.length) {
      gates.forEach((open) => open());
      await new Promise((r) => setTimeout(r, 1));
    }
    gates.forEach((open) => open());
    await Promise.all(held);
    expect(await withHashSlot(async () => "free again")).toBe("free again");
  });
});
