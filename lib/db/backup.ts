import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import zlib from "node:zlib";
import pg from "pg";
import {
  BACKUP_FORMAT,
  BACKUP_VERSION,
  BackupError,
  MIGRATIONS_TABLE,
  pinTextForms,
  type BackupHeader,
} from "./backup-format";

export type TableCount = { table: string; rows: number };
export type BackupResult = { file: string; bytes: number; tables: TableCount[]; migrations: string[] };

const FETCH_ROWS = 100;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

// Connects for a backup or restore; a refused connection becomes one line naming the server.
export async function connectForBackup(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    const where = new URL(url);
    throw new BackupError(
      `the database server at ${where.hostname}:${where.port || 5432} refused the connection: ${(err as Error).message}`,
    );
  }
  return client;
}

export async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query<{ migration_name: string }>(
    `select migration_name from ${MIGRATIONS_TABLE}
     where finished_at is not null and rolled_back_at is null order by migration_name`,
  );
  return rows.map((r) => r.migration_name);
}

// The app's tables in the public schema, with their stored (non-generated) columns in order.
async function listTables(client: pg.Client): Promise<{ table: string; columns: string[] }[]> {
  const { rows } = await client.query<{ table: string; columns: string[] }>(
    `select c.relname as table, array_agg(a.attname::text order by a.attnum) as columns
     from pg_class c join pg_attribute a on a.attrelid = c.oid
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname <> $1
       and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
     group by c.relname order by c.relname`,
    [MIGRATIONS_TABLE],
  );
  return rows;
}

// Streams every row of one table as JSON arrays of text forms, through a cursor so memory stays bounded.
async function* tableLines(client: pg.Client, table: string, columns: string[], counts: TableCount[]) {
  yield JSON.stringify(["table", table, columns]) + "\n";
  const select = columns.map((c) => `${quote(c)}::text`).join(", ");
  await client.query(`declare backup_rows no scroll cursor for select json_build_array(${select})::text as row
    from ${quote(table)}`);
  let rows = 0;
  for (;;) {
    const batch = await client.query<{ row: string }>(`fetch ${FETCH_ROWS} from backup_rows`);
    for (const r of batch.rows) yield r.row + "\n";
    rows += batch.rows.length;
    if (batch.rows.length < FETCH_ROWS) break;
  }
  await client.query("close backup_rows");
  counts.push({ table, rows });
  yield JSON.stringify(["end", table, rows]) + "\n";
}

async function* backupLines(client: pg.Client, header: BackupHeader, counts: TableCount[]) {
  yield JSON.stringify(header) + "\n";
  const tables = await listTables(client);
  for (const { table, columns } of tables) yield* tableLines(client, table, columns, counts);
  const sequences = await client.query<{ name: string; value: string | null }>(
    "select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public'",
  );
  for (const s of sequences.rows) yield JSON.stringify(["sequence", s.name, s.value]) + "\n";
  yield JSON.stringify(["done", tables.length]) + "\n";
}

// Writes a consistent backup of the database at `url` to `file` (mode 0600: it holds sealed SSH secrets and
// password hashes). One repeatable-read snapshot, so a running app may keep working meanwhile. The file appears
// only when complete.
export async function writeBackup(url: string, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`the folder ${path.dirname(target)} does not exist`);
  const client = await connectForBackup(url);
  const partial = `${target}.partial`;
  try {
    await pinTextForms(client);
    await client.query("begin isolation level repeatable read read only");
    const migrations = await appliedMigrations(client).catch(() => {
      throw new BackupError("the database holds no DAXboard schema (no applied migrations): nothing to back up");
    });
    const server = (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      server: `PostgreSQL ${server}`,
      migrations,
    };
    const tables: TableCount[] = [];
    const out = fs.createWriteStream(partial, { mode: 0o600 });
    await pipeline(Readable.from(backupLines(client, header, tables)), zlib.createGzip(), out);
    await client.query("commit");
    fs.renameSync(partial, target);
    return { file: target, bytes: fs.statSync(target).size, tables, migrations };
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
