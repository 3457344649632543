// Client-side views of the API's JSON. The server DTOs type JSON columns loosely (Prisma JsonValue); these name
// the shapes the UI reads, so components never cast.
import type { HostDto } from "@/lib/hosts/host-dto";
import type { GuestProfile } from "@/lib/readiness/guest-profile";
import type { AssessmentReport } from "@/lib/readiness/report";
import type { ScanDto } from "@/lib/scan/scan-dto";

export type ScanStatus = "queued" | "running" | "succeeded" | "failed";

export type ActiveScan = { id: string; status: ScanStatus };

// The guest profile the host's current assessment was judged against (issue 13).
export type GuestProfileRef = { id: string; name: string };

// `activeScan` arrives with the fleet API extension; absent means the server does not report it yet. `bestPath` is
// a CorePathId or null (no path, or never scanned); `guestProfile` is null before the first assessment.
export type FleetHost = HostDto & {
  activeScan?: ActiveScan | null;
  bestPath: string | null;
  guestProfile: GuestProfileRef | null;
};

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

// A named guest profile as GET /api/settings/guest-profiles lists it (issue 13): the default comes last.
export type ProfileView = GuestProfile & {
  id: string;
  name: string;
  tags: string[];
  position: number;
  isDefault: boolean;
  hostCount: number;
  updatedAt: string;
  updatedBy: string | null;
};

// A background re-assessment after a profile change; `total` is null until the worker has counted the hosts.
export type ReassessRun = {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed";
  reason: string;
  total: number | null;
  done: number;
  verdictChanged: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
};

export type GuestProfileList = { profiles: ProfileView[]; activeRun: ReassessRun | null };
