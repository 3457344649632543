import { generateKeyPairSync, randomBytes } from "node:crypto";
import { fingerprintOf } from "../../lib/ssh/host-key";

// Key pairs for simulated hosts and their operators, in OpenSSH's text formats.

export type KeyPair = { privateKey: string; publicKey: string };

function sshString(value: Buffer | string): Buffer {
  const body = typeof value === "string" ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

// An ed25519 pair in OpenSSH's formats, from node:crypto. Not ssh2's utils.generateKeyPairSync("ed25519"):
// in ssh2 1.17.0 it strips every leading zero byte of the public key, so about 1 key in 256 is malformed
// ("Malformed OpenSSH private key") — enough to break a 500-host fleet most runs.
// The key comes out DER-encoded by the generation itself, not exported as JWK afterwards: on Node 20 a JWK
// export can deadlock its process when the garbage collection it triggers frees the job that generated the key
// (gdb on a hung scan10k simulated-host process: ExportJWKEdKey → GC → ~KeyGenJob → the same mutex).
// PKCS#8 and SPKI DER of an ed25519 key end with its 32-byte seed and public key.
export function generateKeyPair(comment = "daxboard-sim"): KeyPair {
  const pair = generateKeyPairSync("ed25519", {
    privateKeyEncoding: { format: "der", type: "pkcs8" },
    publicKeyEncoding: { format: "der", type: "spki" },
  });
  const seed = pair.privateKey.subarray(-32);
  const pub = pair.publicKey.subarray(-32);
  const blob = Buffer.concat([sshString("ssh-ed25519"), sshString(pub)]);
  const check = randomBytes(4);
  const unpadded = Buffer.concat([check, check, blob, sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  // PROTOCOL.key: the private section is padded with 1, 2, 3, … to the cipher block size (8 for "none").
  const padding = Buffer.from(Array.from({ length: (8 - (unpadded.length % 8)) % 8 }, (_, i) => i + 1));
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    Buffer.from([0, 0, 0, 1]),
    sshString(blob),
    sshString(Buffer.concat([unpadded, padding])),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join("\n")}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `ssh-ed25519 ${blob.toString("base64")} ${comment}`,
  };
}

export function publicKeyFingerprint(publicKeyLine: string): string {
  return fingerprintOf(Buffer.from(publicKeyLine.trim().split(/\s+/)[1] ?? "", "base64"));
}
