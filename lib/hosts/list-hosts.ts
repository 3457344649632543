import { z } from "zod";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { hostSelect, toHostDto } from "./host-dto";

const SORTABLE = [
  "name",
  "address",
  "createdAt",
  "lastScanAt",
  "lastScanStatus",
  "verdict",
  "product",
  "pageSize",
  "chVersion",
  "kernelRelease",
  "bestPath",
] as const;
// Prisma accepts `nulls` ordering only on nullable columns.
const REQUIRED = new Set(["name", "address", "createdAt"]);

// `never` is not a verdict: it selects hosts that have never been scanned (verdict null).
export const VERDICT_FILTERS = [
  "ready",
  "ready-with-warnings",
  "platform-ready",
  "not-ready",
  "unknown",
  "n/a",
  "never",
] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

// `none` is not a path: it selects scanned hosts with no zero-copy path ready (bestPath null, verdict set).
export const BEST_PATH_FILTERS = ["virtiofs-dax", "pmem-dax", "ksm", "none"] as const;
export type BestPathFilter = (typeof BEST_PATH_FILTERS)[number];

// A comma-separated query value whose items must each be one of `allowed`.
const commaList = <T extends string>(allowed: readonly T[]) =>
  z
    .string()
    .trim()
    .max(200)
    .transform((s) => [
      ...new Set(
        s
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ])
    .refine((list) => list.every((v) => (allowed as readonly string[]).includes(v)), {
      message: `must be a comma-separated list of ${allowed.join(", ")}`,
    })
    .transform((list) => list as T[]);

const boolParam = z.enum(["true", "false"], { message: "must be true or false" }).transform((v) => v === "true");
const text = (max: number) => z.string().trim().min(1).max(max);

// The filters shared by the table, the summary tiles and the exports (query-string values).
export const hostFilterQuery = z.object({
  q: z.string().trim().max(200).optional(),
  tag: text(64).optional(),
  verdict: commaList(VERDICT_FILTERS).optional(),
  bestPath: commaList(BEST_PATH_FILTERS).optional(),
  product: text(200).optional(),
  hostPageSize: z.coerce.number().int().positive().optional(),
  chVersion: text(64).optional(),
  platformClass: text(40).optional(),
  stale: boolParam.optional(),
});

export const listHostsQuery = hostFilterQuery.extend({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  sort: z
    .string()
    .regex(
      new RegExp(`^-?(${SORTABLE.join("|")})$`),
      `sort must be one of ${SORTABLE.join(", ")} (prefix - for descending)`,
    )
    .default("name"),
});

export type HostFilter = z.infer<typeof hostFilterQuery>;
export type ListHostsQuery = z.infer<typeof listHostsQuery>;

// Query-string → filter, shared by every route that takes the table's filters (unknown params are ignored).
export function parseHostFilter(params: URLSearchParams): HostFilter {
  return hostFilterQuery.parse(Object.fromEntries(params));
}

// Also takes the verdict as the raw comma-separated text, as the bulk-rescan filter (lib/scan/request-scan.ts) sends it.
export type HostWhereInput = Omit<HostFilter, "verdict"> & { verdict?: readonly string[] | string };

export function hostWhere(filter: HostWhereInput): Prisma.HostWhereInput {
  const and: Prisma.HostWhereInput[] = [];
  if (filter.tag) and.push({ tags: { has: filter.tag } });
  const wanted =
    typeof filter.verdict === "string"
      ? filter.verdict
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean)
      : (filter.verdict ?? []);
  if (wanted.length) {
    const verdicts = wanted.filter((v) => v !== "never");
    const either: Prisma.HostWhereInput[] = [];
    if (verdicts.length) either.push({ verdict: { in: verdicts } });
    if (wanted.includes("never")) either.push({ verdict: null });
    and.push(either.length === 1 ? either[0] : { OR: either });
  }
  if (filter.bestPath?.length) and.push(bestPathWhere(filter.bestPath));
  if (filter.product) and.push({ product: filter.product });
  if (filter.hostPageSize !== undefined) and.push({ pageSize: filter.hostPageSize });
  if (filter.chVersion) and.push({ chVersion: filter.chVersion });
  if (filter.platformClass) and.push({ platformClass: filter.platformClass });
  if (filter.stale !== undefined) and.push({ stale: filter.stale });
  if (filter.q) {
    and.push({
      OR: [
        { name: { contains: filter.q, mode: "insensitive" } },
        { address: { contains: filter.q, mode: "insensitive" } },
        { product: { contains: filter.q, mode: "insensitive" } },
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

function bestPathWhere(wanted: readonly BestPathFilter[]): Prisma.HostWhereInput {
  const paths = wanted.filter((v) => v !== "none");
  const either: Prisma.HostWhereInput[] = [];
  if (paths.length) either.push({ bestPath: { in: paths } });
  if (wanted.includes("none")) either.push({ bestPath: null, verdict: { not: null } });
  return either.length === 1 ? either[0] : { OR: either };
}

export type ActiveScan = { id: string; status: "queued" | "running" };

// The queued or running scan of each host on the page, in one query (newest wins when a host has two).
async function activeScans(
  db: Pick<Prisma.TransactionClient, "scan">,
  hostIds: string[],
): Promise<Map<string, ActiveScan>> {
  const found = new Map<string, ActiveScan>();
  if (!hostIds.length) return found;
  const scans = await db.scan.findMany({
    where: { hostId: { in: hostIds }, status: { in: ["queued", "running"] } },
    select: { id: true, hostId: true, status: true },
    orderBy: { createdAt: "desc" },
  });
  for (const s of scans) {
    if (!found.has(s.hostId)) found.set(s.hostId, { id: s.id, status: s.status as ActiveScan["status"] });
  }
  return found;
}

// One page of hosts with the total, for the fleet table; each row carries its in-flight scan, if any. The reads
// share one snapshot (repeatable read): read apart, a scan finishing between them showed a host with neither a
// verdict nor an active scan, and the table stopped following it.
export async function listHosts(query: ListHostsQuery) {
  const desc = query.sort.startsWith("-");
  const field = (desc ? query.sort.slice(1) : query.sort) as (typeof SORTABLE)[number];
  const where = hostWhere(query);
  const { total, rows, active } = await getDb().$transaction(
    async (db) => {
      const total = await db.host.count({ where });
      const rows = await db.host.findMany({
        where,
        select: hostSelect,
        orderBy: [
          { [field]: REQUIRED.has(field) ? (desc ? "desc" : "asc") : { sort: desc ? "desc" : "asc", nulls: "last" } },
          { id: "asc" },
        ],
        skip: (query.page - 1) * query.pageSize,
        take: query.pageSize,
      });
      return {
        total,
        rows,
        active: await activeScans(
          db,
          rows.map((r) => r.id),
        ),
      };
    },
    { isolationLevel: "RepeatableRead" },
  );
  return {
    hosts: rows.map((r) => ({ ...toHostDto(r), activeScan: active.get(r.id) ?? null })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
