import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { open, seal } from "@/lib/crypto/secret-box";
import { resetSecretKeyCache, secretKey } from "@/lib/crypto/secret-key";
import { hashPassword, verifyPassword } from "@/lib/auth/password";

describe("secret box (AES-256-GCM)", () => {
  const key = crypto.randomBytes(32);

  it("round-trips and never stores the plaintext", () => {
    const sealed = seal('{"password":"hunter2-very-secret"}', key);
    expect(sealed.ciphertext.toString("latin1")).not.toContain("hunter2");
    expect(open(sealed, key)).toBe('{"password":"hunter2-very-secret"}');
  });

  it("uses a fresh IV per secret", () => {
    expect(seal("same", key).iv.equals(seal("same", key).iv)).toBe(false);
  });

  it("fails loudly on tampering or the wrong key", () => {
    const sealed = seal("secret", key);
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] ^= 1;
    expect(() => open({ ...sealed, ciphertext: flipped }, key)).toThrow();
    expect(() => open(sealed, crypto.randomBytes(32))).toThrow();
  });
});

describe("secret key", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetSecretKeyCache();
  });

  it("generates a key once into the data directory with mode 0600", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dxb-key-"));
    delete process.env.DAXBOARD_SECRET_KEY;
    process.env.DAXBOARD_DATA_DIR = dir;
    resetSecretKeyCache();
    const first = secretKey();
    const file = path.join(dir, "secret.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    resetSecretKeyCache();
    expect(secretKey().equals(first)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });

  it("takes DAXBOARD_SECRET_KEY as hex and rejects a short key", () => {
    const hex = crypto.randomBytes(32).toString("hex");
    process.env.DAXBOARD_SECRET_KEY = hex;
    resetSecretKeyCache();
    expect(secretKey().toString("hex")).toBe(hex);
    process.env.DAXBOARD_SECRET_KEY = "abcd";
    resetSecretKeyCache();
    expect(() => secretKey()).toThrow(/32 bytes/);
  });
});

describe("password hashing (scrypt)", () => {
  it("verifies the right password and rejects others", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await verifyPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyPassword("correct horse batterY", hash)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
  });
});
