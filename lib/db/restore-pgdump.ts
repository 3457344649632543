import type pg from "pg";
import { appliedMigrations, connectForBackup } from "./backup";
import { BackupError, backupFileFormat } from "./backup-format";
import { tableCounts } from "./backup-pgdump";
import { defaultMigrationsDir, deployMigrations } from "./migrate";
import { findPgTool, libpqEnv, runPgTool, serverMajor, type PgTool } from "./pg-tools";
import {
  emptyOrCleaned,
  readHeader,
  requireNoOtherSessions,
  restoreBackup,
  type RestoredFrom,
  type RestoreResult,
} from "./restore";

export type RestoreOptions = { clean?: boolean; migrationsDir?: string };

// Checks a backup file before anything starts a database for it: it exists and is one of the two formats.
export async function checkBackupFile(file: string): Promise<void> {
  if (backupFileFormat(file) === "logical") await readHeader(file);
}

async function pgRestoreFor(client: pg.Client, file: string): Promise<PgTool> {
  const choice = findPgTool("pg_restore", await serverMajor(client));
  if (choice.tool) return choice.tool;
  throw new BackupError(`${file} is a pg_dump archive, but ${choice.reason}: install one, or set DAXBOARD_PG_BINDIR`);
}

// The archive's table of contents names when and from which server it was made; reading it proves the file is an
// archive this pg_restore understands.
async function archiveOrigin(tool: PgTool, file: string, env: NodeJS.ProcessEnv): Promise<RestoredFrom> {
  const list = await runPgTool(tool, ["--list", file], env);
  const field = (pattern: RegExp) => pattern.exec(list)?.[1]?.trim() ?? "an unknown date";
  return {
    createdAt: field(/Archive created at (.+)/),
    server: `PostgreSQL ${field(/Dumped from database version: (.+)/)}`,
  };
}

// Restores a pg_dump archive: the whole file is read once (to /dev/null) before the database is touched, so a
// truncated copy fails without emptying anything; then pg_restore loads it in one transaction, without the
// source's owners and grants (the target's roles may differ), and this checkout's newer migrations follow.
// With `clean`, the database is emptied first (rather than pg_restore --clean, which would leave a newer
// migration's tables behind for that migration to trip over).
export async function restorePgDump(url: string, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const client = await connectForBackup(url);
  try {
    const tool = await pgRestoreFor(client, file);
    await requireNoOtherSessions(client);
    // Without --clean, a database that is not empty is refused before the archive is read.
    if (!opts.clean) await emptyOrCleaned(client, false);
    const env = libpqEnv(url);
    const header = await archiveOrigin(tool, file, env);
    await runPgTool(tool, ["--file=/dev/null", file], env);
    await emptyOrCleaned(client, opts.clean ?? false);
    const target = ["--dbname", env.PGDATABASE ?? env.PGUSER ?? "postgres"];
    await runPgTool(
      tool,
      [...target, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", file],
      env,
    );
    const before = new Set(await appliedMigrations(client));
    await deployMigrations({ url, migrationsDir: opts.migrationsDir ?? defaultMigrationsDir() });
    const laterMigrations = (await appliedMigrations(client)).filter((name) => !before.has(name));
    return { header, tables: await tableCounts(client), laterMigrations };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function restoreFile(url: string, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  return backupFileFormat(file) === "pg_dump" ? restorePgDump(url, file, opts) : restoreBackup(url, file, opts);
}
