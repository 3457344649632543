import { promises as dns } from "node:dns";
import net from "node:net";

// Which addresses scans may connect to: an admin's allow and deny lists of CIDRs (Settings). Empty allow list =
// allow all, as before the setting existed; deny wins over allow. Checked at connect time on the addresses DNS
// returned, and the connection goes to the checked address, so a name cannot resolve elsewhere in between.
export type AddressPolicyInput = { allow: readonly string[]; deny: readonly string[] };

export type AddressPolicy = {
  // null when the address may be scanned, else the reason it may not.
  check: (address: string) => string | null;
  isEmpty: boolean;
  hasAllowList: boolean;
};

type Cidr = { address: string; prefix: number; family: "ipv4" | "ipv6" };

export function parseCidr(text: string): Cidr | null {
  const [address = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const version = net.isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

function blockList(cidrs: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const text of cidrs) {
    const cidr = parseCidr(text);
    if (!cidr) throw new TypeError(`not a CIDR: ${text}`);
    list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  }
  return list;
}

// ::ffff:10.0.0.1 is 10.0.0.1: an IPv4-mapped address must not slip past an IPv4 deny rule.
function normalize(address: string): { address: string; family: "ipv4" | "ipv6" } | null {
  const version = net.isIP(address);
  if (version === 4) return { address, family: "ipv4" };
  if (version !== 6) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] && net.isIPv4(mapped[1])) return { address: mapped[1], family: "ipv4" };
  return { address, family: "ipv6" };
}

export function compileAddressPolicy(input: AddressPolicyInput): AddressPolicy {
  const allow = blockList(input.allow);
  const deny = blockList(input.deny);
  const hasAllow = input.allow.length > 0;
  return {
    isEmpty: input.allow.length === 0 && input.deny.length === 0,
    hasAllowList: hasAllow,
    check(raw) {
      const ip = normalize(raw);
      if (!ip) return `${raw} is not an IP address`;
      if (deny.check(ip.address, ip.family)) return `${ip.address} is in a denied range of the scan network policy`;
      if (hasAllow && !allow.check(ip.address, ip.family))
        return `${ip.address} is outside the allowed ranges of the scan network policy`;
      return null;
    },
  };
}

export type Resolution = { ok: true; address: string } | { ok: false; reason: string; notFound?: boolean };

// Resolves a host name (an IP literal resolves to itself) and picks the first address the policy allows.
// `every`: all addresses must be allowed (used for a target behind a jump host, which resolves the name itself).
export async function resolveAllowed(
  host: string,
  policy: AddressPolicy,
  opts: { every?: boolean } = {},
): Promise<Resolution> {
  let addresses: string[];
  if (net.isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "lookup failed";
      return { ok: false, reason: `${host} could not be resolved (${code})`, notFound: true };
    }
  }
  const verdicts = addresses.map((address) => ({ address, refusal: policy.check(address) }));
  const refused = verdicts.find((v) => v.refusal);
  if (opts.every && refused) return { ok: false, reason: refused.refusal! };
  const allowed = verdicts.find((v) => !v.refusal);
  if (!allowed) return { ok: false, reason: refused?.refusal ?? `${host} has no address` };
  return { ok: true, address: allowed.address };
}
