import { describe, expect, it } from "vitest";
import { addressSchema, registerHostSchema } from "@/lib/hosts/host-input";
import { encryptedKeyWithRounds } from "../support/hostile-keys";

describe("host address validation", () => {
  it.each(["altra-01.lab.example", "10.0.0.1", "fd00::1", "[fd00::1]", "host", "a.b-c.d."])("accepts %s", (a) => {
    expect(addressSchema.safeParse(a).success).toBe(true);
  });
  it.each([
    "10.0.0.1;id",
    "$(id)",
    "`id`",
    "a b",
    "host|nc",
    "-oProxyCommand=x",
    "a..b",
    "",
    "x".repeat(254),
    "host>out",
  ])("rejects %j", (a) => {
    expect(addressSchema.safeParse(a).success).toBe(false);
  });
  it("strips brackets from IPv6 literals", () => {
    expect(addressSchema.parse("[fd00::1]")).toBe("fd00::1");
  });
  it("defaults the port to 22 and tags to none", () => {
    const parsed = registerHostSchema.parse({ name: "n", address: "10.0.0.1", username: "u", auth: { type: "agent" } });
    expect(parsed.port).toBe(22);
    expect(parsed.tags).toEqual([]);
  });
  it("rejects unknown top-level fields instead of silently dropping them", () => {
    expect(
      registerHostSchema.safeParse({
        name: "n",
        address: "10.0.0.1",
        username: "u",
        auth: { type: "agent" },
        sudo: true,
      }).success,
    ).toBe(false);
  });
});

describe("encrypted private keys with their own KDF cost", () => {
  it("refuses a key asking for 2^31 bcrypt rounds with a field error, without running them", () => {
    const result = registerHostSchema.safeParse({
      name: "n",
      address: "10.0.0.1",
      username: "u",
      auth: { type: "key", privateKey: encryptedKeyWithRounds(2 ** 31, "pass phrase"), passphrase: "pass phrase" },
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
      auth: { type: "key", privateKey: encryptedKeyWithRounds(16, "pass phrase"), passphrase: "pass phrase" },
    });
    expect(ok.success).toBe(true);
  });
});
