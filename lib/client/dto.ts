// Client-side views of the API's JSON. The server DTOs type JSON columns loosely (Prisma JsonValue); these name
// the shapes the UI reads, so components never cast.
import type { HostDto } from "@/lib/hosts/host-dto";
import type { ReassessRunDto } from "@/lib/scan/reassess-runs";
import type { ProfileView } from "@/lib/settings/guest-profiles";
import type { AssessmentReport } from "@/lib/readiness/report";
import type { ScanDto } from "@/lib/scan/scan-dto";

export type ScanStatus = "queued" | "running" | "succeeded" | "failed";

export type ActiveScan = { id: string; status: ScanStatus };

// The guest profile the host's current assessment was judged against (issue 13); null before the first assessment.
export type GuestProfileRef = NonNullable<HostDto["guestProfile"]>;

// `activeScan` arrives with the fleet API extension; absent means the server does not report it yet.
export type FleetHost = HostDto & { activeScan?: ActiveScan | null };

export type HostList = { hosts: FleetHost[]; total: number; page: number; pageSize: number };

export type DriftEntry = { field: string; from: unknown; to: unknown };

export type ScanErrorDetail = {
  expectedFingerprint?: string;
  presentedFingerprint?: string;
  presentedAlgorithm?: string;
  stderrTail?: string;
  phase?: string;
  [key: string]: unknown;
};

export type ScanErrorView = {
  class: string;
  title: string;
  message: string | null;
  hint: string | null;
  detail: ScanErrorDetail | null;
};

export type ScanView = Omit<ScanDto, "drift" | "error" | "errorDetail" | "status"> & {
  status: ScanStatus;
  drift: DriftEntry[] | null;
  error: ScanErrorView | null;
  // Set only on the placeholder a rescan shows before the server answers.
  optimistic?: boolean;
};

// Assessments stored before issue 13 carry no `paths`, `bestPath` or `bestPathReason` until they are re-assessed.
export type AssessmentView = Omit<AssessmentReport, "paths" | "bestPath" | "bestPathReason"> &
  Partial<Pick<AssessmentReport, "paths" | "bestPath" | "bestPathReason">> & { parseWarnings?: string[] };

export type PathView = AssessmentReport["paths"][number];

export type ScanDetail = ScanView & { rawOutput: string | null; facts: unknown; assessment: AssessmentView | null };

export type CheckView = AssessmentReport["checks"][number];

export type CacheSizeView = NonNullable<AssessmentReport["cacheSize"]>;

// `key` is null where the fact is unknown on those hosts; page sizes are numbers (bytes).
export type CountBucket = { key: string | number | null; count: number };

export type FleetSummary = {
  total: number;
  verdicts: Record<string, number>;
  stale: number;
  scanning: number;
  byProduct: CountBucket[];
  byCore: CountBucket[];
  byPageSize: CountBucket[];
  byChVersion: CountBucket[];
  byKernelSeries: CountBucket[];
  byPlatformClass: CountBucket[];
  // Key = a CorePathId, or null for scanned hosts with no path; never-scanned hosts are not counted.
  bestPaths: Array<{ key: string | null; count: number }>;
};

export const isActiveStatus = (status: string | null | undefined): boolean =>
  status === "queued" || status === "running";

// A named guest profile as GET /api/settings/guest-profiles lists it (issue 13), the default last; and the background
// re-assessment a profile change starts (`total` is null until the worker has counted the hosts).
export type { ProfileView } from "@/lib/settings/guest-profiles";
export type { ReassessRunDto as ReassessRun } from "@/lib/scan/reassess-runs";

export type GuestProfileList = { profiles: ProfileView[]; activeRun: ReassessRunDto | null };
