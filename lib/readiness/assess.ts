// assess(facts, guest profile) → checks, verdict, cache_size and the zero-copy paths. A pure function of
// (facts, guest profile, RULES_VERSION): bump the version whenever a rule changes so
// stored hosts can be re-derived without a rescan.
import type { Facts } from "../probe/types";
import { recommendCacheSize } from "./cache-size";
import { readGuestKconfig } from "./guest-config";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "./guest-profile";
import { judgePaths } from "./paths";
import { platformState } from "./platform-state";
import { ruleCacheWindow, ruleGuestConfig, ruleGuestKernel } from "./rules-guest";
import { ruleArch, ruleBareMetal, ruleGic, ruleHostKernel, ruleKvm } from "./rules-platform";
import { isDaxCapableStack, ruleCloudHypervisor, ruleStackPair, ruleVirtiofsd } from "./rules-stack";
import { ruleFwb, ruleIpa, rulePageSize, rulePlatformClass } from "./rules-window";
import type { Assessment, Check, Verdict } from "./types";

// 2026.2: zero-copy paths (issue 13).
export const RULES_VERSION = "2026.2";

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
  const state = platformState(platform);
  const cacheSize =
    state === "n/a" || state === "fail"
      ? null
      : recommendCacheSize({
          guest,
          hostIpaBits: facts.ipaBits.known ? facts.ipaBits.value : null,
          daxCapableStack: stackDaxCapable,
        });
  const guestKconfig = readGuestKconfig(guest);
  const guestChecks: Check[] = [ruleGuestKernel(guest), ruleGuestConfig(guestKconfig), ruleCacheWindow(cacheSize)];
  const checks = [...platform, ...stack, ...guestChecks];
  const { paths, bestPath, bestPathReason } = judgePaths({
    facts,
    guest,
    guestKconfig,
    platform,
    platformState: state,
    stack,
    guestChecks,
    cacheSize,
  });
  return {
    verdict: deriveVerdict(checks, stackDaxCapable),
    checks,
    cacheSize,
    stackDaxCapable,
    paths,
    bestPath,
    bestPathReason,
    rulesVersion: RULES_VERSION,
  };
}

// The overall verdict keeps its meaning for virtio-fs DAX (DOMAIN.md §4); the paths carry the other answers.
export function deriveVerdict(checks: Check[], stackDaxCapable: boolean): Verdict {
  switch (platformState(checks)) {
    case "unknown":
      return "unknown";
    case "n/a":
      return "n/a";
    case "fail":
      return "not-ready";
    case "ok":
      break;
  }
  // A guest FAIL (kernel or config) blocks DAX just like the stack does.
  const guestFail = checks.some((c) => c.group === "guest" && c.status === "FAIL");
  if (!stackDaxCapable || guestFail) return "platform-ready";
  return checks.some((c) => c.status === "WARN") ? "ready-with-warnings" : "ready";
}
