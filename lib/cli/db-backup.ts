// npm run db:backup -- FILE [--format pg_dump|logical] | npm run db:restore -- FILE [--clean]: a backup of
// DAXboard's database (embedded or DATABASE_URL) into one file, and back. Exit codes: 0 ok, 1 failure (one line),
// 2 usage.
import { parseArgs } from "node:util";
import { connectForBackup, type TableCount } from "../db/backup";
import { BackupError } from "../db/backup-format";
import { BACKUP_FORMATS, planBackup, writePlannedBackup, type BackupFormatName } from "../db/backup-pgdump";
import { findSecretKey, keepKeyNote, restoredKeyProblem } from "../db/backup-key";
import { MigrateError } from "../db/migrate";
import { resolveDatabase, type ResolvedDatabase } from "../db/resolve-database";
import { checkBackupFile, restoreFile } from "../db/restore-pgdump";

const USAGE = `usage: npm run db:backup -- FILE [--format pg_dump|logical]
       npm run db:restore -- FILE [--clean]
Uses DATABASE_URL, or the embedded database (the running app's, or started for the command).
Backup writes a pg_dump archive when a pg_dump at least as new as the server is installed, else DAXboard's logical
format. Restore reads either; it needs an empty database, or --clean to replace its contents; stop the app and
workers first.`;

class UsageError extends Error {}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
const counts = (tables: TableCount[]) =>
  tables
    .filter((t) => t.rows > 0)
    .map((t) => `${t.table} ${t.rows}`)
    .join(", ") || "no rows";

async function backup(db: ResolvedDatabase, file: string, format: BackupFormatName | undefined): Promise<number> {
  const plan = await planBackup(db.url, format);
  if (plan.format === "logical" && plan.fallback) console.log(`db:backup: ${plan.fallback}.`);
  const result = await writePlannedBackup(db.url, file, plan);
  const how = plan.format === "pg_dump" ? `pg_dump ${plan.tool.major} custom format` : "logical format";
  console.log(
    `db:backup: wrote ${result.file} (${size(result.bytes)}, ${how}) from the ${db.kind} database, ` +
      `${result.migrations.length} migration(s): ${counts(result.tables)}.`,
  );
  console.log(keepKeyNote(findSecretKey()));
  return 0;
}

async function restore(db: ResolvedDatabase, file: string, clean: boolean): Promise<number> {
  const result = await restoreFile(db.url, file, { clean });
  console.log(
    `db:restore: restored ${file} (made ${result.header.createdAt} on ${result.header.server}) into the ` +
      `${db.kind} database: ${counts(result.tables)}.`,
  );
  if (result.laterMigrations.length > 0)
    console.log(
      `Then applied ${result.laterMigrations.length} newer migration(s): ${result.laterMigrations.join(", ")}.`,
    );
  const client = await connectForBackup(db.url);
  try {
    const problem = await restoredKeyProblem(client, findSecretKey());
    if (!problem) return 0;
    console.error(`db:restore: ${problem}`);
    return findSecretKey().key ? 1 : 0;
  } finally {
    await client.end();
  }
}

async function run(command: string, argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      clean: { type: "boolean", default: false },
      format: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError(file ? `unexpected arguments: ${extra.join(" ")}` : "no FILE");
  if (command === "backup" && values.clean) throw new UsageError("--clean is for restore");
  if (command === "restore" && values.format) throw new UsageError("--format is for backup: restore reads either");
  const format = values.format as BackupFormatName | undefined;
  if (format && !BACKUP_FORMATS.includes(format)) throw new UsageError(`--format must be pg_dump or logical`);
  // Check the file before starting a database for it.
  if (command === "restore") await checkBackupFile(file);
  const db = await resolveDatabase();
  try {
    return command === "backup" ? await backup(db, file, format) : await restore(db, file, values.clean);
  } finally {
    await db.stop();
  }
}

async function main(): Promise<never> {
  const command = process.argv[2];
  const name = `db:${command}`;
  let code: number;
  try {
    if (command !== "backup" && command !== "restore") throw new UsageError(`unknown command: ${command ?? ""}`);
    code = await run(command, process.argv.slice(3));
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${name}: ${message}\n${USAGE}`);
      code = 2;
    } else {
      const known = error instanceof BackupError || error instanceof MigrateError;
      console.error(`${name}: ${known ? message : `failed: ${message}`}`);
      code = 1;
    }
  }
  // Explicit exit: nothing pg or the schema engine leaves scheduled should keep the CLI alive.
  process.exit(code);
}

void main();
