import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// A pasted OpenSSH key chooses its own bcrypt cost. ssh-keygen spends about 10 ms per round, so a hostile key is
// made from a real 16-round key whose (unauthenticated) round count in the header is rewritten.
export function withKdfRounds(key: string, rounds: number): string {
  const lines = key.trim().split("\n");
  const blob = Buffer.from(lines.slice(1, -1).join(""), "base64");
  let pos = 15; // "openssh-key-v1\0"
  pos += 4 + blob.readUInt32BE(pos); // ciphername
  pos += 4 + blob.readUInt32BE(pos); // kdfname
  pos += 4; // kdfoptions length
  pos += 4 + blob.readUInt32BE(pos); // salt
  blob.writeUInt32BE(rounds, pos);
  const body = blob
    .toString("base64")
    .match(/.{1,70}/g)!
    .join("\n");
  return `${lines[0]}\n${body}\n${lines[lines.length - 1]}\n`;
}

// A real passphrase-protected ed25519 key from ssh-keygen, encrypted with `rounds` bcrypt rounds.
export function encryptedKey(rounds: number, passphrase: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-kdf-"));
  try {
    const file = path.join(dir, "id");
    execFileSync("ssh-keygen", ["-q", "-C", "", "-t", "ed25519", "-a", String(rounds), "-N", passphrase, "-f", file], {
      stdio: "ignore",
    });
    return fs.readFileSync(file, "utf8");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// A 16-round key whose header claims `rounds`: it reads as that cost, and only decrypts when rounds is 16.
export function encryptedKeyWithRounds(rounds: number, passphrase: string): string {
  return withKdfRounds(encryptedKey(16, passphrase), rounds);
}
