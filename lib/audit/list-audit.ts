import "server-only";
import { z } from "zod";
import { getDb } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { AppError } from "../api/errors";

// ISO 8601: a date (midnight UTC) or a date-time with a zone; a zoneless time would mean the server's zone.
const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    message: "must be an ISO 8601 date or date-time with a zone (Z or ±hh:mm)",
  })
  .transform((s) => new Date(s));

const text = (max: number) => z.string().trim().min(1).max(max);

// The audit log's filters (query-string spelling), shared by the list and the export.
export const auditFilterQuery = z.object({
  // A user or token id, or part of the actor's label (email, token name, "system:…").
  actor: text(200).optional(),
  // Exact (`host.update`), or a prefix ending in "." or "*" (`host.`, `user.login*`).
  action: text(100).optional(),
  // A host id, or part of the host's name as it was when the event happened.
  host: text(255).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

export const listAuditQuery = auditFilterQuery.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export type AuditFilter = z.infer<typeof auditFilterQuery>;
export type ListAuditQuery = z.infer<typeof listAuditQuery>;

// Empty form fields arrive as `?actor=`; they mean "no filter", not "an empty actor".
function present(params: URLSearchParams): Record<string, string> {
  return Object.fromEntries([...params].filter(([, v]) => v.trim() !== ""));
}

export const parseAuditFilter = (params: URLSearchParams): AuditFilter => auditFilterQuery.parse(present(params));
export const parseListAuditQuery = (params: URLSearchParams): ListAuditQuery => listAuditQuery.parse(present(params));

// The filter as plain JSON, for the export's own audit event.
export function describeAuditFilter(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter).flatMap(([k, v]) =>
      v === undefined ? [] : [[k, v instanceof Date ? v.toISOString() : String(v)]],
    ),
  );
}

export function auditWhere(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.actor)
    and.push({ OR: [{ actorId: filter.actor }, { actorLabel: { contains: filter.actor, mode: "insensitive" } }] });
  if (filter.action) {
    const prefix = filter.action.endsWith("*")
      ? filter.action.slice(0, -1)
      : filter.action.endsWith(".")
        ? filter.action
        : null;
    and.push({ action: prefix === null ? filter.action : { startsWith: prefix } });
  }
  if (filter.host)
    and.push({ OR: [{ hostId: filter.host }, { hostName: { contains: filter.host, mode: "insensitive" } }] });
  if (filter.from) and.push({ at: { gte: filter.from } });
  if (filter.to) and.push({ at: { lt: filter.to } });
  return and.length ? { AND: and } : {};
}

// Keyset position (at, id) of the last row shown, opaque to clients: the next page is an index range, never an
// OFFSET that rereads every row before it, and rows written meanwhile cannot shift or repeat a page.
type Position = { at: Date; id: string };

export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.at.toISOString()}|${p.id}`).toString("base64url");
}

function decodeCursor(cursor: string): Position {
  const [at, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || rest.length || Number.isNaN(date.getTime())) {
    throw new AppError("invalid_input", "cursor: not a cursor from this API; start again without it.", 422, "cursor");
  }
  return { at: date, id };
}

// Newest first; ties on the millisecond are broken by id, the same order the cursor continues.
export function afterPosition(p: Position): Prisma.AuditEventWhereInput {
  return { OR: [{ at: { lt: p.at } }, { at: p.at, id: { lt: p.id } }] };
}

export const auditOrder: Prisma.AuditEventOrderByWithRelationInput[] = [{ at: "desc" }, { id: "desc" }];

export const auditSelect = {
  id: true,
  at: true,
  actorType: true,
  actorId: true,
  actorLabel: true,
  action: true,
  hostId: true,
  hostName: true,
  targetType: true,
  targetId: true,
  detail: true,
} satisfies Prisma.AuditEventSelect;

export type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof auditSelect }>;

export const toAuditDto = (row: AuditRow) => ({ ...row, at: row.at.toISOString() });

export type AuditEventDto = ReturnType<typeof toAuditDto>;

// One page of the audit log and the cursor of the next (null on the last page).
export async function listAudit(
  query: ListAuditQuery,
): Promise<{ events: AuditEventDto[]; nextCursor: string | null }> {
  const where = auditWhere(query);
  const rows = await getDb().auditEvent.findMany({
    where: query.cursor ? { AND: [where, afterPosition(decodeCursor(query.cursor))] } : where,
    select: auditSelect,
    orderBy: auditOrder,
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return { events: page.map(toAuditDto), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}
