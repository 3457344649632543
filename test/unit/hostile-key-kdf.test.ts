// A pasted OpenSSH key chooses its own bcrypt cost, which ssh2 would run synchronously: the round count is read
// from the key's header first, and absurd counts are refused without running anything (issue 12 item 4).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkKeyKdfRounds, keyKdfRounds, MAX_KEY_KDF_ROUNDS } from "@/lib/ssh/key-kdf";
import { withKdfRounds as withRounds } from "../support/hostile-keys";

let dir: string;

function keygen(name: string, args: string[]): string {
  const file = path.join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-C", "", "-f", file, ...args], { stdio: "ignore" });
  return fs.readFileSync(file, "utf8");
}

let key16: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-kdf-"));
  key16 = keygen("k16", ["-t", "ed25519", "-a", "16", "-N", "pass"]);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("OpenSSH key KDF rounds", () => {
  it("reads the round count ssh-keygen wrote, and accepts a sane one", () => {
    expect(keyKdfRounds(key16)).toBe(16);
    expect(checkKeyKdfRounds(key16)).toBeNull();
    const key64 = keygen("k64", ["-t", "ed25519", "-a", "64", "-N", "pass"]);
    expect(keyKdfRounds(key64)).toBe(64);
    expect(checkKeyKdfRounds(key64)).toBeNull();
    // Pasted through Windows, or with blank lines around it.
    expect(keyKdfRounds(`\n\n${key16.replace(/\n/g, "\r\n")}  \n`)).toBe(16);
  });

  it("refuses a key with more rounds than the limit, naming the count and the fix", () => {
    expect(checkKeyKdfRounds(withRounds(key16, MAX_KEY_KDF_ROUNDS))).toBeNull();
    const key5000 = withRounds(key16, 5000);
    expect(keyKdfRounds(key5000)).toBe(5000);
    expect(checkKeyKdfRounds(key5000)).toMatch(/5000 bcrypt rounds.*at most 128.*ssh-keygen -p -a 16/);
  });

  it("refuses 2^31 rounds at once, without running the KDF", () => {
    const hostile = withRounds(key16, 2 ** 31);
    const started = performance.now();
    const error = checkKeyKdfRounds(hostile);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error).toMatch(/2147483648 bcrypt rounds/);
    // The largest count the field can hold.
    expect(keyKdfRounds(withRounds(key16, 0xffffffff))).toBe(0xffffffff);
  });

  it("says nothing about keys without a bcrypt KDF: unencrypted, PEM, or not a key at all", () => {
    const plain = keygen("plain", ["-t", "ed25519", "-N", ""]);
    expect(keyKdfRounds(plain)).toBeNull();
    const pem = keygen("pem", ["-t", "rsa", "-b", "1024", "-m", "PEM", "-N", ""]);
    expect(keyKdfRounds(pem)).toBeNull();
    for (const text of [
      undefined,
      42,
      "",
      "hello",
      "-----BEGIN OPENSSH PRIVATE KEY-----\n",
      "-----BEGIN OPENSSH PRIVATE KEY-----\n!!!\n-----END OPENSSH PRIVATE KEY-----",
    ]) {
      expect(keyKdfRounds(text)).toBeNull();
      expect(checkKeyKdfRounds(text)).toBeNull();
    }
  });

  it("never throws on truncated or lying headers", () => {
    const lines = key16.trim().split("\n");
    const blob = Buffer.from(lines.slice(1, -1).join(""), "base64");
    const wrap = (b: Buffer) => `${lines[0]}\n${b.toString("base64")}\n${lines[lines.length - 1]}\n`;
    for (let cut = 0; cut < 80; cut++) expect(() => keyKdfRounds(wrap(blob.subarray(0, cut)))).not.toThrow();
    for (const at of [15, 29, 39, 43]) {
      const lying = Buffer.from(blob);
      lying.writeUInt32BE(0xffffffff, at); // a string length past the end
      expect(keyKdfRounds(wrap(lying))).toBeNull();
    }
  });
});
