import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import { appliedMigrations, connectForBackup, type TableCount } from "./backup";
import {
  BackupError,
  MIGRATIONS_TABLE,
  pinTextForms,
  readBackupLines,
  verifyBackupComplete,
  type BackupHeader,
} from "./backup-format";
import { defaultMigrationsDir, deployMigrations } from "./migrate";
import { MIGRATION_LOCK_FILE } from "./migrations-dir";

// What the summary line names about the backup: when and from which server it was made.
export type RestoredFrom = Pick<BackupHeader, "createdAt" | "server">;
export type RestoreResult = { header: RestoredFrom; tables: TableCount[]; laterMigrations: string[] };

const BATCH_ROWS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function readHeader(file: string): Promise<BackupHeader> {
  if (!fs.existsSync(file)) throw new BackupError(`${file} does not exist`);
  for await (const line of readBackupLines(file)) return line as BackupHeader;
  throw new BackupError(`${file} is not a DAXboard backup (made by npm run db:backup)`);
}

// A restore under a running app or worker would change its data beneath it.
export async function requireNoOtherSessions(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
  );
  if (rows[0]!.n > 0)
    throw new BackupError(
      `${rows[0]!.n} other connection(s) use this database: stop the app and every npm run worker, then restore`,
    );
}

export async function emptyOrCleaned(client: pg.Client, clean: boolean): Promise<void> {
  const { rows } = await client.query<{ n: number }>(
    "select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'",
  );
  if (rows[0]!.n === 0) return;
  if (!clean)
    throw new BackupError(
      `the database already holds ${rows[0]!.n} table(s): restore into an empty database, or add --clean to ` +
        `replace everything in it with the backup`,
    );
  await client.query("drop schema if exists pgboss cascade; drop schema public cascade; create schema public");
}

// Rebuilds exactly the backup's schema: its migrations, copied from this checkout into a scratch folder.
async function deployBackupSchema(url: string, migrations: string[], migrationsDir: string): Promise<void> {
  const missing = migrations.filter((name) => !fs.existsSync(path.join(migrationsDir, name)));
  if (missing.length > 0)
    throw new BackupError(
      `the backup was made by a newer DAXboard (migration ${missing[0]} is not in ${migrationsDir}): ` +
        `restore it with that version`,
    );
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-restore-"));
  try {
    fs.copyFileSync(path.join(migrationsDir, MIGRATION_LOCK_FILE), path.join(scratch, MIGRATION_LOCK_FILE));
    for (const name of migrations)
      fs.cpSync(path.join(migrationsDir, name), path.join(scratch, name), { recursive: true });
    await deployMigrations({ url, migrationsDir: scratch });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

type ForeignKey = { table: string; name: string; definition: string };

// Rows the migrations themselves seeded (the default guest profile) make way for the backup's. Foreign keys go
// while rows load (Host and Scan point at each other) and come back, checked, at the end; user triggers stay off
// so the rows arrive as they were stored.
async function suspendConstraints(client: pg.Client): Promise<ForeignKey[]> {
  await client.query(`do $$ declare t record; begin
    for t in select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'
      and relname <> '${MIGRATIONS_TABLE}' loop
      execute format('truncate table %I cascade', t.relname); end loop; end $$`);
  const { rows } = await client.query<ForeignKey>(
    `select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
     from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`,
  );
  for (const fk of rows) await client.query(`alter table ${fk.table} drop constraint ${quote(fk.name)}`);
  await client.query(`do $$ declare t record; begin
    for t in select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' loop
      execute format('alter table %I disable trigger user', t.relname); end loop; end $$`);
  return rows;
}

async function resumeConstraints(client: pg.Client, keys: ForeignKey[]): Promise<void> {
  await client.query(`do $$ declare t record; begin
    for t in select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' loop
      execute format('alter table %I enable trigger user', t.relname); end loop; end $$`);
  for (const fk of keys)
    await client.query(`alter table ${fk.table} add constraint ${quote(fk.name)} ${fk.definition}`);
}

class TableLoader {
  private batch: string[] = [];
  private bytes = 0;
  rows = 0;
  private constructor(
    private readonly client: pg.Client,
    private readonly insert: string,
  ) {}

  static async open(client: pg.Client, table: string, columns: string[]): Promise<TableLoader> {
    const { rows } = await client.query<{ name: string; type: string }>(
      `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
       where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
      [quote(table)],
    );
    const types = new Map(rows.map((r) => [r.name, r.type]));
    const casts = columns.map((column, i) => {
      const type = types.get(column);
      if (!type) throw new BackupError(`the backup's table ${table} has a column ${column} this schema lacks`);
      return `(r->>${i})::${type}`;
    });
    const insert =
      `insert into ${quote(table)} (${columns.map(quote).join(", ")}) overriding system value ` +
      `select ${casts.join(", ")} from json_array_elements($1::json) r`;
    return new TableLoader(client, insert);
  }

  async add(row: string): Promise<void> {
    this.batch.push(row);
    this.bytes += row.length;
    if (this.batch.length >= BATCH_ROWS || this.bytes >= BATCH_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    await this.client.query(this.insert, [`[${this.batch.join(",")}]`]);
    this.rows += this.batch.length;
    this.batch = [];
    this.bytes = 0;
  }
}

async function loadRows(client: pg.Client, file: string): Promise<TableCount[]> {
  const tables: TableCount[] = [];
  let loader: TableLoader | undefined;
  let done = false;
  let first = true;
  for await (const line of readBackupLines(file)) {
    if (first) {
      first = false;
      continue;
    }
    const [kind, name, value] = line as [string, string, unknown];
    if (kind === "table") loader = await TableLoader.open(client, name, value as string[]);
    else if (kind === "end") {
      await loader!.flush();
      if (loader!.rows !== value) throw new BackupError(`${file} is damaged: table ${name} is incomplete`);
      tables.push({ table: name, rows: loader!.rows });
      loader = undefined;
    } else if (kind === "sequence") {
      if (value !== null) await client.query("select setval($1::regclass, $2::bigint)", [quote(name), value]);
    } else if (kind === "done") done = true;
    else await loader!.add(JSON.stringify(line));
  }
  if (!done) throw new BackupError(`${file} is truncated: copy the whole backup file again`);
  return tables;
}

// Restores `file` into the database at `url`: the backup's schema, then its rows in one transaction, then any
// migration this checkout has beyond it. The database must be empty, or `clean` replaces what it holds.
export async function restoreBackup(
  url: string,
  file: string,
  opts: { clean?: boolean; migrationsDir?: string } = {},
): Promise<RestoreResult> {
  const header = await readHeader(file);
  await verifyBackupComplete(file);
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const client = await connectForBackup(url);
  try {
    await requireNoOtherSessions(client);
    await emptyOrCleaned(client, opts.clean ?? false);
    await deployBackupSchema(url, header.migrations, migrationsDir);
    await pinTextForms(client);
    await client.query("begin");
    const keys = await suspendConstraints(client);
    const tables = await loadRows(client, file);
    await resumeConstraints(client, keys);
    await client.query("commit");
    const before = new Set(await appliedMigrations(client));
    await deployMigrations({ url, migrationsDir });
    const laterMigrations = (await appliedMigrations(client)).filter((name) => !before.has(name));
    return { header, tables: tables.filter((t) => t.table !== MIGRATIONS_TABLE), laterMigrations };
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    await client.end().catch(() => undefined);
  }
}
