import { getDb } from "../db";
import { log } from "../log";
import { compileAddressPolicy, type AddressPolicy } from "../ssh/address-policy";

// Workers read the scan network policy at most every few seconds; a settings change in this process applies
// at once (forgetAddressPolicy), other worker processes follow within the TTL.
const TTL_MS = 5_000;
let cached: { policy: AddressPolicy; at: number } | undefined;

export function forgetAddressPolicy(): void {
  cached = undefined;
}

export async function currentAddressPolicy(): Promise<AddressPolicy> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.policy;
  const row = await getDb().settings.findUnique({
    where: { id: "default" },
    select: { scanAllowCidrs: true, scanDenyCidrs: true },
  });
  let policy: AddressPolicy;
  try {
    policy = compileAddressPolicy({ allow: row?.scanAllowCidrs ?? [], deny: row?.scanDenyCidrs ?? [] });
  } catch (err) {
    // Saved values are validated; a row edited by hand that does not parse must not open everything up.
    log.error({ err: String(err) }, "scan network policy unreadable; refusing every address until it is fixed");
    policy = {
      isEmpty: false,
      hasAllowList: true,
      check: () => "the scan network policy in Settings could not be read",
    };
  }
  cached = { policy, at: Date.now() };
  return policy;
}
