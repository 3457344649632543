import { peerAddress } from "./peer-address";

// How many reverse proxies stand in front of DAXboard (DAXBOARD_TRUSTED_PROXIES, default 0). Only then is
// x-forwarded-for read, and only the entry the nearest trusted proxy appended: entries left of it are the client's.
export function trustedProxies(): number {
  const raw = process.env.DAXBOARD_TRUSTED_PROXIES ?? "0";
  if (!/^\d{1,2}$/.test(raw.trim())) {
    throw new Error(
      `DAXBOARD_TRUSTED_PROXIES must be the number of reverse proxies in front of DAXboard, not ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw.trim());
}

// The address a request came from, for throttling and the audit log; null when it cannot be known.
export function clientAddress(req: Request): string | null {
  const hops = trustedProxies();
  if (hops > 0) {
    const forwarded = (req.headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (forwarded.length > 0) return forwarded[Math.max(forwarded.length - hops, 0)].slice(0, 64);
  }
  return peerAddress(req.headers);
}
