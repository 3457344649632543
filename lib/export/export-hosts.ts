import { stringify } from "csv-stringify/sync";
import type { HostFilter } from "../hosts/list-hosts";
import { CSV_COLUMNS, toCsvRecord, toExportRow } from "./export-row";
import { readExportBatches } from "./read-export-batches";
import { streamChunks } from "./stream-chunks";

export type ExportFormat = "csv" | "json";

async function* csvChunks(filter: HostFilter): AsyncGenerator<string> {
  // The BOM makes Excel read UTF-8 (product names carry "—"); RFC 4180 wants CRLF records.
  yield stringify([], { header: true, columns: [...CSV_COLUMNS], bom: true, record_delimiter: "windows" });
  for await (const batch of readExportBatches(filter)) {
    yield stringify(
      batch.map((row) => toCsvRecord(toExportRow(row))),
      { record_delimiter: "windows" },
    );
  }
}

async function* jsonChunks(filter: HostFilter, exportedAt: Date): AsyncGenerator<string> {
  yield `{"exportedAt":${JSON.stringify(exportedAt.toISOString())},"hosts":[`;
  let first = true;
  for await (const batch of readExportBatches(filter)) {
    const text = batch.map((row) => JSON.stringify(toExportRow(row))).join(",\n");
    yield (first ? "\n" : ",\n") + text;
    first = false;
  }
  yield "\n]}\n";
}

// The compatibility export of every host matching the table's filters, streamed as an attachment.
export function exportHosts(filter: HostFilter, format: ExportFormat, now = new Date()): Response {
  const day = now.toISOString().slice(0, 10);
  const body = streamChunks(format === "csv" ? csvChunks(filter) : jsonChunks(filter, now));
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="daxboard-hosts-${day}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
