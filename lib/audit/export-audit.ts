import "server-only";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import { getDb } from "../db";
import type { Actor } from "../auth/roles";
import { neutralizeFormula } from "../export/export-row";
import type { Prisma } from "../generated/prisma/client";
import {
  afterPosition,
  auditOrder,
  auditSelect,
  auditWhere,
  describeAuditFilter,
  parseAuditFilter,
  toAuditDto,
  type AuditFilter,
  type AuditRow,
} from "./list-audit";
import { recordAudit } from "./record-audit";
import { streamChunks } from "../export/stream-chunks";

const exportQuery = z.object({ format: z.enum(["csv", "json"], { message: "must be csv or json" }).default("csv") });
export type AuditExportFormat = z.infer<typeof exportQuery>["format"];

// `?format=csv|json` plus the list's filters.
export function parseAuditExport(params: URLSearchParams): { filter: AuditFilter; format: AuditExportFormat } {
  return {
    filter: parseAuditFilter(params),
    format: exportQuery.parse({ format: params.get("format") || undefined }).format,
  };
}

const BATCH = 1000;

export const AUDIT_CSV_COLUMNS = [
  "at",
  "actor_type",
  "actor_id",
  "actor",
  "action",
  "host_id",
  "host",
  "target_type",
  "target_id",
  "detail",
] as const;

// Every matching event, newest first, a keyset batch at a time: memory stays flat however long the log is.
async function* readAuditBatches(filter: AuditFilter): AsyncGenerator<AuditRow[]> {
  const where = auditWhere(filter);
  let after: AuditRow | undefined;
  for (;;) {
    const rows: AuditRow[] = await getDb().auditEvent.findMany({
      where: after ? { AND: [where, afterPosition(after)] } : where,
      select: auditSelect,
      orderBy: auditOrder,
      take: BATCH,
    });
    if (rows.length) yield rows;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1];
  }
}

// Actor labels, host names and details are typed by people (or hostile hosts): no cell may run as a formula.
function csvRecord(row: AuditRow): string[] {
  const cells = [
    row.at.toISOString(),
    row.actorType,
    row.actorId ?? "",
    row.actorLabel,
    row.action,
    row.hostId ?? "",
    row.hostName ?? "",
    row.targetType ?? "",
    row.targetId ?? "",
    row.detail === null ? "" : JSON.stringify(row.detail),
  ];
  return cells.map(neutralizeFormula);
}

async function* csvChunks(filter: AuditFilter): AsyncGenerator<string> {
  yield stringify([], { header: true, columns: [...AUDIT_CSV_COLUMNS], bom: true, record_delimiter: "windows" });
  for await (const batch of readAuditBatches(filter))
    yield stringify(batch.map(csvRecord), { record_delimiter: "windows" });
}

async function* jsonChunks(filter: AuditFilter, exportedAt: Date): AsyncGenerator<string> {
  yield `{"exportedAt":${JSON.stringify(exportedAt.toISOString())},"filter":${JSON.stringify(describeAuditFilter(filter))},"events":[`;
  let first = true;
  for await (const batch of readAuditBatches(filter)) {
    yield (first ? "\n" : ",\n") + batch.map((row) => JSON.stringify(toAuditDto(row))).join(",\n");
    first = false;
  }
  yield "\n]}\n";
}

// The audit log matching `filter` as a streamed attachment. Reading the log is itself recorded, first, so the
// export carries its own event: who took a copy of the trail, and of which part.
export async function exportAudit(
  actor: Actor,
  filter: AuditFilter,
  format: AuditExportFormat,
  now = new Date(),
): Promise<Response> {
  const detail: Prisma.InputJsonValue = { format, filter: describeAuditFilter(filter) };
  await recordAudit(actor, { action: "audit.export", targetType: "audit", detail });
  const body = streamChunks(format === "csv" ? csvChunks(filter) : jsonChunks(filter, now));
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="daxboard-audit-${now.toISOString().slice(0, 10)}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
