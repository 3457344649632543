// What the platform rules 1–9 say together (DOMAIN.md §4): the overall verdict and every zero-copy path start here,
// because no path works where a KVM microVM cannot run.
import type { Check } from "./types";

export type PlatformState = "n/a" | "unknown" | "fail" | "ok";

// Checks without which "platform ready" would be a guess (can CH run at all?).
const ESSENTIAL_PLATFORM = new Set(["platform.kvm", "platform.gic"]);
// More unknowns than this among the other platform checks → "unknown".
const MAX_PLATFORM_UNKNOWNS = 2;
// Informational rules (8, 9) never make a host unknown.
const INFORMATIONAL = new Set(["platform.fwb", "platform.class"]);

export function platformState(checks: readonly Check[]): PlatformState {
  const arch = checks.find((c) => c.id === "platform.arch");
  if (!arch || arch.status === "UNKNOWN") return "unknown";
  if (arch.status === "INFO") return "n/a";
  const platform = checks.filter((c) => c.group === "platform");
  if (platform.some((c) => c.status === "FAIL")) return "fail";
  const unknowns = platform.filter((c) => c.status === "UNKNOWN" && !INFORMATIONAL.has(c.id));
  if (unknowns.some((c) => ESSENTIAL_PLATFORM.has(c.id)) || unknowns.length > MAX_PLATFORM_UNKNOWNS) return "unknown";
  return "ok";
}

/** The UNKNOWN that makes the platform unknown: the architecture, then KVM or the GIC, then the first other one. */
export function decidingUnknown(checks: readonly Check[]): Check | undefined {
  const unknowns = checks.filter((c) => c.group === "platform" && c.status === "UNKNOWN" && !INFORMATIONAL.has(c.id));
  return (
    unknowns.find((c) => c.id === "platform.arch") ?? unknowns.find((c) => ESSENTIAL_PLATFORM.has(c.id)) ?? unknowns[0]
  );
}
