// npm run db:backup -- FILE | npm run db:restore -- FILE [--clean]: a backup of DAXboard's database (embedded or
// DATABASE_URL) into one file, and back. Exit codes: 0 ok, 1 failure (one line), 2 usage.
import { parseArgs } from "node:util";
import { writeBackup, connectForBackup, type TableCount } from "../db/backup";
import { BackupError } from "../db/backup-format";
import { findSecretKey, keepKeyNote, restoredKeyProblem } from "../db/backup-key";
import { MigrateError } from "../db/migrate";
import { resolveDatabase, type ResolvedDatabase } from "../db/resolve-database";
import { readHeader, restoreBackup } from "../db/restore";

const USAGE = `usage: npm run db:backup -- FILE
       npm run db:restore -- FILE [--clean]
Uses DATABASE_URL, or the embedded database (the running app's, or started for the command).
Restore needs an empty database, or --clean to replace its contents; stop the app and workers first.`;

class UsageError extends Error {}

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
const counts = (tables: TableCount[]) =>
  tables
    .filter((t) => t.rows > 0)
    .map((t) => `${t.table} ${t.rows}`)
    .join(", ") || "no rows";

async function backup(db: ResolvedDatabase, file: string): Promise<number> {
  const result = await writeBackup(db.url, file);
  console.log(
    `db:backup: wrote ${result.file} (${size(result.bytes)}) from the ${db.kind} database, ` +
      `${result.migrations.length} migration(s): ${counts(result.tables)}.`,
  );
  console.log(keepKeyNote(findSecretKey()));
  return 0;
}

async function restore(db: ResolvedDatabase, file: string, clean: boolean): Promise<number> {
  const result = await restoreBackup(db.url, file, { clean });
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
    options: { clean: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError(file ? `unexpected arguments: ${extra.join(" ")}` : "no FILE");
  if (command === "backup" && values.clean) throw new UsageError("--clean is for restore");
  // Check the file before starting a database for it.
  if (command === "restore") await readHeader(file);
  const db = await resolveDatabase();
  try {
    return command === "backup" ? await backup(db, file) : await restore(db, file, values.clean);
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
