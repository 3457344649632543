// Public surface of the readiness core (pure: no I/O, no clock).
export { assess, deriveVerdict, RULES_VERSION } from "./assess";
export {
  deviceAperture,
  formatCacheSize,
  largestPowerOfTwoAtMost,
  recommendCacheSize,
  type CacheSizeInput,
  type CacheSizeLimit,
  type CacheSizeRecommendation,
} from "./cache-size";
export { CPU_TABLE, type CpuClass, type CpuTableEntry } from "./cpu-table";
export { IMPLEMENTER_VENDORS, lookupCpu, normalizeHexId } from "./cpu-lookup";
export { DEFAULT_GUEST_PROFILE, guestProfileSchema, type GuestProfile } from "./guest-profile";
export { chVersionText, toAssessmentReport, verdictHeadline, type AssessmentReport, type ReportCheck } from "./report";
export {
  GUEST_DAX_CONFIG,
  GUEST_FS_CONFIG,
  GUEST_PMEM_CONFIG,
  GUEST_PMEM_RECOMMENDED,
  guestConfigGaps,
  type GuestConfigGaps,
} from "./guest-config";
export { isDaxCapableStack } from "./rules-stack";
export { CORE_PATH_IDS } from "./types";
export type {
  Assessment,
  Check,
  CheckGroup,
  CheckStatus,
  CorePathId,
  Evidence,
  PathConfig,
  PathId,
  PathVerdict,
  Verdict,
  ZeroCopyPath,
} from "./types";
