import fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import zlib from "node:zlib";
import type pg from "pg";

// The file `npm run db:backup` writes: gzip'd lines of JSON. The first line is the header; then, per table, a
// ["table", name, columns] line, one JSON array per row holding each column's text form (null for SQL NULL), and
// ["end", name, rowCount]; then one ["sequence", name, value] per sequence; the last line is ["done", tableCount].
// Text forms go through each type's own output and input functions, so every value comes back exactly, on any
// PostgreSQL major version (pg_dump is not shipped with the embedded server, and a client older than the server
// refuses to dump it).

export const BACKUP_FORMAT = "daxboard-backup";
export const BACKUP_VERSION = 1;

export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  server: string;
  // Migrations applied to the backed-up database, in order: restore rebuilds exactly this schema first.
  migrations: string[];
};

export type BackupLine =
  | ["table", string, string[]]
  | ["end", string, number]
  | ["sequence", string, string | null]
  | ["done", number]
  | (string | null)[];

export class BackupError extends Error {
  override readonly name = "BackupError";
}

// The tables and sequences of the app's schema. Prisma's own bookkeeping is rebuilt by the migrations, and the
// pg-boss queue (schema pgboss) is recreated at start: it holds only jobs in flight.
export const MIGRATIONS_TABLE = "_prisma_migrations";

// Session settings that fix the text form of dates, floats and bytes on both sides.
export async function pinTextForms(client: pg.Client): Promise<void> {
  await client.query(
    "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; " +
      "SET extra_float_digits = 3; SET bytea_output = 'hex'",
  );
}

// pg_dump's custom-format archives open with these bytes; DAXboard's own format is gzip.
const PG_DUMP_MAGIC = "PGDMP";

export function backupFileFormat(file: string): "pg_dump" | "logical" {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  const head = Buffer.alloc(PG_DUMP_MAGIC.length);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return head.toString("latin1") === PG_DUMP_MAGIC ? "pg_dump" : "logical";
}

export function isHeader(value: unknown): value is BackupHeader {
  const header = value as Partial<BackupHeader> | null;
  return (
    typeof header === "object" &&
    header !== null &&
    header.format === BACKUP_FORMAT &&
    typeof header.version === "number" &&
    Array.isArray(header.migrations)
  );
}

// Splits a stream into lines; a stream error (not gzip, cut short) rejects the iteration.
async function* splitLines(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of stream) {
    rest += decoder.write(chunk);
    let end: number;
    while ((end = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, end);
      rest = rest.slice(end + 1);
    }
  }
  rest += decoder.end();
  if (rest) yield rest;
}

// Reads a backup file line by line as JSON values; the first must be the header.
export async function* readBackupLines(file: string): AsyncGenerator<unknown> {
  const notBackup = () => new BackupError(`${file} is not a DAXboard backup (made by npm run db:backup)`);
  const gunzip = zlib.createGunzip();
  const source = fs.createReadStream(file);
  source.on("error", (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  let first = true;
  try {
    for await (const line of splitLines(gunzip)) {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw notBackup();
      }
      if (first && !isHeader(value)) throw notBackup();
      first = false;
      yield value;
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const truncated = (err as NodeJS.ErrnoException).code === "Z_BUF_ERROR" && !first;
    throw truncated ? new BackupError(`${file} is truncated: copy the whole backup file again`) : notBackup();
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (first) throw notBackup();
}

// The whole file decompresses and ends with its "done" line: checked before a restore touches the database.
export async function verifyBackupComplete(file: string): Promise<void> {
  let last: unknown;
  for await (const line of readBackupLines(file)) last = line;
  if (!Array.isArray(last) || last[0] !== "done")
    throw new BackupError(`${file} is truncated: copy the whole backup file again`);
}
