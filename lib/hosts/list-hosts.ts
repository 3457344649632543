import { z } from "zod";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { hostSelect, toHostDto } from "./host-dto";

const SORTABLE = ["name", "address", "createdAt", "lastScanAt", "verdict", "product", "pageSize", "chVersion", "kernelRelease"] as const;
// Prisma accepts `nulls` ordering only on nullable columns.
const REQUIRED = new Set(["name", "address", "createdAt"]);

export const listHostsQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().max(64).optional(),
  verdict: z.string().trim().max(40).optional(),
  sort: z
    .string()
    .regex(new RegExp(`^-?(${SORTABLE.join("|")})$`), `sort must be one of ${SORTABLE.join(", ")} (prefix - for descending)`)
    .default("name"),
});

export type ListHostsQuery = z.infer<typeof listHostsQuery>;

export function hostWhere(query: Pick<ListHostsQuery, "q" | "tag" | "verdict">): Prisma.HostWhereInput {
  const where: Prisma.HostWhereInput = {};
  if (query.tag) where.tags = { has: query.tag };
  if (query.verdict) where.verdict = query.verdict === "never" ? null : query.verdict;
  if (query.q) {
    where.OR = [
      { name: { contains: query.q, mode: "insensitive" } },
      { address: { contains: query.q, mode: "insensitive" } },
      { product: { contains: query.q, mode: "insensitive" } },
    ];
  }
  return where;
}

// One page of hosts with the total, for the fleet table.
export async function listHosts(query: ListHostsQuery) {
  const desc = query.sort.startsWith("-");
  const field = (desc ? query.sort.slice(1) : query.sort) as (typeof SORTABLE)[number];
  const where = hostWhere(query);
  const db = getDb();
  const [total, rows] = await Promise.all([
    db.host.count({ where }),
    db.host.findMany({
      where,
      select: hostSelect,
      orderBy: [
        { [field]: REQUIRED.has(field) ? (desc ? "desc" : "asc") : { sort: desc ? "desc" : "asc", nulls: "last" } },
        { id: "asc" },
      ],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { hosts: rows.map(toHostDto), total, page: query.page, pageSize: query.pageSize };
}
