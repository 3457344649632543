// assess(facts, guest profile) → checks, verdict and cache_size. A pure function of
// (facts, guest profile, RULES_VERSION): bump the version whenever a rule changes so
// stored hosts can be re-derived without a rescan.
import type { Facts } from "../probe/types";
import { recommendCacheSize } from "./cache-size";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "./guest-profile";
import { ruleCacheWindow, ruleGuestConfig, ruleGuestKernel } from "./rules-guest";
import { ruleArch, ruleBareMetal, ruleGic, ruleHostKernel, ruleKvm } from "./rules-platform";
import { isDaxCapableStack, ruleCloudHypervisor, ruleStackPair, ruleVirtiofsd } from "./rules-stack";
import { ruleFwb, ruleIpa, rulePageSize, rulePlatformClass } from "./rules-window";
import type { Assessment, Check, Verdict } from "./types";

export const RULES_VERSION = "2026.1";

// Checks without which "platform ready" would be a guess (can CH run at all?).
const ESSENTIAL_PLATFORM = new Set(["platform.kvm", "platform.gic"]);
// More unknowns than this among the other platform checks → "unknown".
const MAX_PLATFORM_UNKNOWNS = 2;
// Informational rules (8, 9) never make a host unknown.
const INFORMATIONAL = new Set(["platform.fwb", "platform.class"]);

export function assess(facts: Facts, guest: GuestProfile = DEFAULT_GUEST_PROFILE): Assessment {
  const platform: Check[] = [
    ruleArch(facts),
    ruleBareMetal(facts),
    ruleKvm(facts),
    ruleGic(facts),
    ruleHostKernel(facts),
    rulePageSize(facts, guest),
    ruleIpa(facts),
    ruleFwb(facts),
    rulePlatformClass(facts),
  ];
  const stack: Check[] = [ruleCloudHypervisor(facts), ruleVirtiofsd(facts), ruleStackPair(facts)];
  const stackDaxCapable = isDaxCapableStack(facts);
  const arch = platform[0];
  const notApplicable = arch.status === "INFO";
  const platformFail = platform.some((c) => c.status === "FAIL");
  const cacheSize =
    notApplicable || platformFail
      ? null
      : recommendCacheSize({
          guest,
          hostIpaBits: facts.ipaBits.known ? facts.ipaBits.value : null,
          daxCapableStack: stackDaxCapable,
        });
  const guestChecks: Check[] = [ruleGuestKernel(guest), ruleGuestConfig(guest), ruleCacheWindow(cacheSize)];
  const checks = [...platform, ...stack, ...guestChecks];
  return {
    paths: [],
    bestPath: null,
    bestPathReason: "zero-copy paths not judged yet",
    verdict: deriveVerdict(checks, stackDaxCapable),
    checks,
    cacheSize,
    stackDaxCapable,
    rulesVersion: RULES_VERSION,
  };
}

export function deriveVerdict(checks: Check[], stackDaxCapable: boolean): Verdict {
  const arch = checks.find((c) => c.id === "platform.arch");
  if (!arch || arch.status === "UNKNOWN") return "unknown";
  if (arch.status === "INFO") return "n/a";
  const platform = checks.filter((c) => c.group === "platform");
  if (platform.some((c) => c.status === "FAIL")) return "not-ready";
  const unknowns = platform.filter((c) => c.status === "UNKNOWN" && !INFORMATIONAL.has(c.id));
  if (unknowns.some((c) => ESSENTIAL_PLATFORM.has(c.id)) || unknowns.length > MAX_PLATFORM_UNKNOWNS) return "unknown";
  // A guest FAIL (kernel or config) blocks DAX just like the stack does.
  const guestFail = checks.some((c) => c.group === "guest" && c.status === "FAIL");
  if (!stackDaxCapable || guestFail) return "platform-ready";
  return checks.some((c) => c.status === "WARN") ? "ready-with-warnings" : "ready";
}
