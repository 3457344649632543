// Guest rules (DOMAIN.md §4 rule 13 and the §5 window check).
import type { CacheSizeRecommendation } from "./cache-size";
import { check } from "./check";
import { GUEST_DAX_CONFIG, type GuestKconfig } from "./guest-config";
import type { GuestProfile } from "./guest-profile";
import { SOURCES } from "./sources";
import type { Check } from "./types";

function parseVersion(v: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function ruleGuestKernel(guest: GuestProfile): Check {
  const base = {
    id: "guest.kernel-version",
    rule: 13,
    group: "guest",
    title: "Guest kernel version",
    evidence: [{ fact: "guest.kernelVersion", value: guest.kernelVersion, section: null }],
    source: SOURCES.fuseDax,
  } as const;
  const v = parseVersion(guest.kernelVersion);
  if (!v)
    return check({ ...base, status: "UNKNOWN", reason: `guest kernel version '${guest.kernelVersion}' unreadable` });
  const [maj, min] = v;
  if (maj < 5 || (maj === 5 && min < 10))
    return check({
      ...base,
      status: "FAIL",
      reason: `guest kernel ${maj}.${min} < 5.10: virtio-fs DAX was merged in 5.10 (arm64 FS_DAX only since 5.7)`,
      remediation: "use a guest kernel ≥ 5.10 (≥ 5.17 for dax=always/inode)",
    });
  if (maj === 5 && min < 17)
    return check({
      ...base,
      status: "INFO",
      reason: `guest kernel ${maj}.${min} < 5.17: only '-o dax', no 'dax=always'/'dax=inode'`,
    });
  return check({ ...base, status: "PASS", reason: `guest kernel ${maj}.${min} supports '-o dax=always'` });
}

// cfg: the uploaded guest .config (readGuestKconfig), parsed once for every path that judges it.
export function ruleGuestConfig(cfg: GuestKconfig | null): Check {
  const base = {
    id: "guest.kernel-config",
    rule: 13,
    group: "guest",
    title: "Guest kernel config",
    source: SOURCES.fuseKconfig,
  } as const;
  if (cfg === null)
    return check({
      ...base,
      evidence: [],
      status: "INFO",
      reason: "no guest kernel config uploaded: DAX options not checked",
      remediation: "upload the guest .config to check CONFIG_FUSE_DAX and friends",
    });
  const missing = GUEST_DAX_CONFIG.filter((k) => cfg[k] !== "y" && cfg[k] !== "m");
  const evidence = GUEST_DAX_CONFIG.map((k) => ({
    fact: `guest.${k}`,
    value: cfg[k] ?? null,
    section: "guest kernel config",
  }));
  if (missing.length) {
    const forgotten = missing.includes("CONFIG_FUSE_DAX")
      ? " (CONFIG_FUSE_DAX is the one popular guidance forgets)"
      : "";
    return check({
      ...base,
      evidence,
      status: "FAIL",
      reason: `guest config lacks ${missing.join(", ")}${forgotten}`,
      remediation: `enable ${missing.join(", ")} in the guest kernel`,
    });
  }
  return check({ ...base, evidence, status: "PASS", reason: "guest config has every option virtio-fs DAX needs" });
}

export function ruleCacheWindow(rec: CacheSizeRecommendation | null): Check {
  const base = {
    id: "guest.cache-size",
    rule: 13,
    group: "guest",
    title: "DAX window size",
    evidence: rec ? [{ fact: "cacheSize", value: rec.human, section: null }] : [],
    source: SOURCES.chLayout,
  } as const;
  if (!rec) return check({ ...base, status: "INFO", reason: "no window computed (platform FAIL or not arm64)" });
  if (rec.warning)
    return check({
      ...base,
      status: "WARN",
      reason: rec.warning,
      remediation: "raise guest RAM, use 64K guest pages, or skip DAX",
    });
  return check({ ...base, status: "INFO", reason: rec.explanation });
}
