import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addressSchema, registerHostSchema } from "@/lib/hosts/host-input";

describe("host address validation", () => {
  it.each(["altra-01.lab.example", "10.0.0.1", "fd00::1", "[fd00::1]", "host", "a.b-c.d."])("accepts %s", (a) => {
    expect(addressSchema.safeParse(a).success).toBe(true);
  });
  it.each(["10.0.0.1;id", "$(id)", "`id`", "a b", "host|nc", "-oProxyCommand=x", "a..b", "", "x".repeat(254), "host>out"])(
    "rejects %j",
    (a) => {
      expect(addressSchema.safeParse(a).success).toBe(false);
    },
  );
  it("strips brackets from IPv6 literals", () => {
    expect(addressSchema.parse("[fd00::1]")).toBe("fd00::1");
  });
  it("defaults the port to 22 and tags to none", () => {
    const parsed = registerHostSchema.parse({ name: "n", address: "10.0.0.1", username: "u", auth: { type: "agent" } });
    expect(parsed.port).toBe(22);
    expect(parsed.tags).toEqual([]);
  });
  it("rejects unknown top-level fields instead of silently dropping them", () => {
    expect(registerHostSchema.safeParse({ name: "n", address: "10.0.0.1", username: "u", auth: { type: "agent" }, sudo: true }).success).toBe(false);
  });
});

describe("encrypted private keys with their own KDF cost", () => {
  // A real ssh-keygen key (16 rounds) with its round count rewritten: what a hostile paste looks like.
  function keyWithRounds(rounds: number): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), "daxboard-kdf-"));
    try {
      const file = path.join(dir, "id");
      execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-a", "16", "-N", "pass phrase", "-f", file]);
      const text = readFileSync(file, "utf8");
      const body = text.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
      const data = Buffer.from(body, "base64");
      // magic(15) + cipher string + kdf string + kdfoptions(len) + salt string + rounds
      let pos = 15;
      for (let i = 0; i < 2; i++) pos += 4 + data.readUInt32BE(pos);
      pos += 4;
      pos += 4 + data.readUInt32BE(pos);
      data.writeUInt32BE(rounds, pos);
      const lines = data.toString("base64").match(/.{1,70}/g)!.join("\n");
      return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("refuses a key asking for 2^31 bcrypt rounds with a field error, without running them", () => {
    const result = registerHostSchema.safeParse({
      name: "n",
      address: "10.0.0.1",
      username: "u",
      auth: { type: "key", privateKey: keyWithRounds(2 ** 31), passphrase: "pass phrase" },
    });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(["auth", "privateKey"]);
    expect(issue.message).toMatch(/2147483648 bcrypt rounds/);
  });

  it("still accepts the same key at ssh-keygen's default cost", () => {
    const ok = registerHostSchema.safeParse({
      name: "n",
      address: "10.0.0.1",
      username: "u",
      auth: { type: "key", privateKey: keyWithRounds(16), passphrase: "pass phrase" },
    });
    expect(ok.success).toBe(true);
  });
});
