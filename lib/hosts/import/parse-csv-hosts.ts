import { parse } from "csv-parse/sync";
import { ImportDocumentError, MAX_IMPORT_ROWS, type ImportCandidate } from "./import-types";

const COLUMNS = ["name", "address", "port", "user", "tags"] as const;
const ALIASES: Record<string, (typeof COLUMNS)[number]> = { username: "user", host: "address", hostname: "address" };

// CSV with a header row: name,address,port,user,tags (any order; port, user and tags optional; tags separated by
// spaces or ";"). csv-parse does the RFC 4180 work (quotes, embedded newlines, BOM).
export function parseCsvHosts(text: string): ImportCandidate[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // `to`: stop reading one record past the limit (header + rows) instead of building 250,000 of them from 1 MiB.
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      to: MAX_IMPORT_ROWS + 2,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as { message: string; lines?: number };
    throw new ImportDocumentError(e.message.replace(/^Invalid [^:]*: /, ""), e.lines ?? null);
  }
  if (!records.length)
    throw new ImportDocumentError("the CSV has no header row (expected name,address,port,user,tags)");
  if (records.length > MAX_IMPORT_ROWS + 1) {
    throw new ImportDocumentError(
      `more than ${MAX_IMPORT_ROWS} hosts; import at most ${MAX_IMPORT_ROWS} at a time`,
      records[records.length - 1]!.info.lines,
    );
  }
  const header: string[] = records[0].record.map((h) => {
    const key = h.toLowerCase().replace(/^#\s*/, "");
    return ALIASES[key] ?? key;
  });
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length)
    throw new ImportDocumentError(`unknown column "${unknown[0]}" (expected ${COLUMNS.join(",")})`, 1);
  for (const required of ["name", "address"]) {
    if (!header.includes(required))
      throw new ImportDocumentError(`the header has no "${required}" column (expected ${COLUMNS.join(",")})`, 1);
  }
  return records.slice(1).map(({ record, info }) => {
    const cell = (col: string) => {
      const i = header.indexOf(col);
      const v = i >= 0 ? record[i] : undefined;
      return v === undefined || v === "" ? undefined : v;
    };
    const candidate: ImportCandidate = {
      line: info.lines,
      name: cell("name") ?? "",
      address: cell("address"),
      port: cell("port"),
      username: cell("user"),
      tags: (cell("tags") ?? "").split(/[\s;]+/).filter(Boolean),
    };
    if (record.length > header.length) {
      candidate.problem = {
        message: `${record.length} cells but the header has ${header.length} columns (quote cells that contain commas)`,
        field: "line",
      };
    }
    return candidate;
  });
}
