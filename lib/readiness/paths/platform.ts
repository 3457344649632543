// Each path's platform check: rules 1–9 already judged whether a KVM microVM can run here (DOMAIN.md §4), so a
// path repeats that verdict in one line instead of re-judging it. A platform FAIL blocks every path.
import { check } from "../check";
import { decidingUnknown } from "../platform-state";
import { SOURCES } from "../sources";
import type { Check } from "../types";
import { pathBase, type PathContext } from "./path-check";

// Platform WARNs that touch any microVM (not only a DAX window): nested virtualization, /dev/kvm permissions.
export const VM_PLATFORM_WARNINGS = ["platform.bare-metal", "platform.kvm"] as const;

export function rulePathPlatform(prefix: string, ctx: PathContext, warnOn: readonly string[] | "all"): Check {
  const relevant = ctx.platform.filter((c) => c.status !== "PASS" && c.status !== "INFO");
  const base = pathBase(
    `${prefix}.platform`,
    "Platform (rules 1–9)",
    relevant[0]?.source ?? SOURCES.kvmApi,
    relevant.map((c) => ({ fact: c.id, value: c.status, section: null })),
  );
  const arch = ctx.platform.find((c) => c.id === "platform.arch");
  switch (ctx.platformState) {
    case "n/a":
      return check({ ...base, status: "INFO", reason: `not applicable: ${arch?.reason ?? "not an arm64 host"}` });
    case "unknown": {
      const u = decidingUnknown(ctx.platform);
      return check({
        ...base,
        status: "UNKNOWN",
        reason: `platform not judged: ${u ? u.reason : "not enough facts"}`,
        remediation: u?.remediation ?? "re-run the probe",
      });
    }
    case "fail": {
      const fail = ctx.platform.find((c) => c.status === "FAIL");
      return check({
        ...base,
        status: "FAIL",
        reason: `no microVM can run here — ${fail ? `${fail.title}: ${fail.reason}` : "a platform check failed"}`,
        remediation: fail?.remediation ?? null,
      });
    }
    case "ok": {
      const warns = ctx.platform.filter((c) => c.status === "WARN" && (warnOn === "all" || warnOn.includes(c.id)));
      if (warns.length)
        return check({
          ...base,
          status: "WARN",
          reason: warns.map((c) => `${c.title}: ${c.reason}`).join("; "),
          remediation: warns.map((c) => c.remediation).find((r) => r !== null) ?? null,
        });
      return check({ ...base, status: "PASS", reason: "a KVM microVM can run here (platform rules 1–9)" });
    }
  }
}
