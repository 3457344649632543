import { describe, expect, it } from "vitest";
import { compileAddressPolicy, parseCidr, resolveAllowed } from "@/lib/ssh/address-policy";

describe("scan network policy", () => {
  it("parses IPv4 and IPv6 CIDRs and bare addresses, and refuses anything else", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseCidr("fd00::/8")).toEqual({ address: "fd00::", prefix: 8, family: "ipv6" });
    expect(parseCidr("169.254.169.254")).toEqual({ address: "169.254.169.254", prefix: 32, family: "ipv4" });
    for (const bad of [
      "10.0.0.0/33",
      "::/129",
      "10.0.0/8",
      "example.com/8",
      "10.0.0.0/8/1",
      "10.0.0.0/-1",
      "10.0.0.0/ 8",
      "",
    ]) {
      expect(parseCidr(bad), bad).toBeNull();
    }
  });

  it("allows everything when empty, and deny wins over allow", () => {
    expect(compileAddressPolicy({ allow: [], deny: [] }).check("203.0.113.9")).toBeNull();
    const policy = compileAddressPolicy({ allow: ["10.0.0.0/8"], deny: ["10.9.0.0/16"] });
    expect(policy.check("10.1.2.3")).toBeNull();
    expect(policy.check("10.9.2.3")).toMatch(/denied range/);
    expect(policy.check("192.168.1.1")).toMatch(/outside the allowed ranges/);
  });

  it("treats an IPv4-mapped IPv6 address as the IPv4 address it carries", () => {
    const policy = compileAddressPolicy({ allow: [], deny: ["169.254.0.0/16"] });
    expect(policy.check("::ffff:169.254.169.254")).toMatch(/169\.254\.169\.254 is in a denied range/);
    expect(policy.check("::ffff:10.0.0.1")).toBeNull();
  });

  it("checks every address a name resolves to when asked, and picks an allowed one otherwise", async () => {
    const denyV4 = compileAddressPolicy({ allow: [], deny: ["127.0.0.0/8"] });
    expect(await resolveAllowed("127.0.0.1", denyV4)).toMatchObject({ ok: false });
    expect(await resolveAllowed("::1", denyV4)).toEqual({ ok: true, address: "::1" });
    // localhost comes from /etc/hosts (no DNS traffic): with every=true one denied address is enough to refuse.
    expect(
      await resolveAllowed("localhost", compileAddressPolicy({ allow: [], deny: ["127.0.0.0/8", "::1/128"] }), {
        every: true,
      }),
    ).toMatchObject({ ok: false });
  });
});
