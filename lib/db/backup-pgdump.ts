import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { appliedMigrations, connectForBackup, writeBackup, type BackupResult, type TableCount } from "./backup";
import { BackupError, MIGRATIONS_TABLE } from "./backup-format";
import { findPgTool, libpqEnv, runPgTool, serverMajor, type PgTool } from "./pg-tools";

// `npm run db:backup` writes a pg_dump custom-format archive when this machine has a pg_dump that can dump the
// server, and DAXboard's own logical format otherwise (the embedded server's package ships no pg_dump).
export type BackupFormatName = "pg_dump" | "logical";
export type BackupPlan = { format: "pg_dump"; tool: PgTool } | { format: "logical"; fallback?: string };
export type WrittenBackup = BackupResult & { format: BackupFormatName };

export const BACKUP_FORMATS: readonly BackupFormatName[] = ["pg_dump", "logical"];

export async function planBackup(url: string, forced?: BackupFormatName): Promise<BackupPlan> {
  if (forced === "logical") return { format: "logical" };
  const client = await connectForBackup(url);
  const server = await serverMajor(client).finally(() => client.end().catch(() => undefined));
  const choice = findPgTool("pg_dump", server);
  if (choice.tool) return { format: "pg_dump", tool: choice.tool };
  if (forced === "pg_dump") throw new BackupError(`--format pg_dump: ${choice.reason}`);
  return { format: "logical", fallback: `${choice.reason}: writing DAXboard's own logical backup format` };
}

// Rows per app table, for the summary line.
export async function tableCounts(client: pg.Client): Promise<TableCount[]> {
  const { rows } = await client.query<{ table: string }>(
    `select relname as table from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'
     and relname <> $1 order by relname`,
    [MIGRATIONS_TABLE],
  );
  const counts: TableCount[] = [];
  for (const { table } of rows) {
    const result = await client.query<{ n: number }>(`select count(*)::int as n from "${table.replace(/"/g, '""')}"`);
    counts.push({ table, rows: result.rows[0]!.n });
  }
  return counts;
}

// pg_dump -Fc of the app's schema (the pg-boss queue holds only jobs in flight and is recreated at start). The
// counts and the dump read one snapshot, exported by this session's transaction; the file is created 0600 before
// pg_dump fills it (it holds sealed SSH secrets and password hashes) and appears under its name only when complete.
export async function writePgDumpBackup(url: string, file: string, tool: PgTool): Promise<BackupResult> {
  const target = path.resolve(file);
  if (!fs.existsSync(path.dirname(target))) throw new BackupError(`the folder ${path.dirname(target)} does not exist`);
  const client = await connectForBackup(url);
  const partial = `${target}.partial`;
  try {
    await client.query("begin isolation level repeatable read read only");
    const migrations = await appliedMigrations(client).catch(() => {
      throw new BackupError("the database holds no DAXboard schema (no applied migrations): nothing to back up");
    });
    const snapshot = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows[0]!.id;
    const tables = await tableCounts(client);
    fs.writeFileSync(partial, "", { mode: 0o600 });
    fs.chmodSync(partial, 0o600);
    const args = ["--format=custom", "--exclude-schema=pgboss", `--snapshot=${snapshot}`, `--file=${partial}`];
    await runPgTool(tool, args, libpqEnv(url));
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

export async function writePlannedBackup(url: string, file: string, plan: BackupPlan): Promise<WrittenBackup> {
  const result =
    plan.format === "pg_dump" ? await writePgDumpBackup(url, file, plan.tool) : await writeBackup(url, file);
  return { ...result, format: plan.format };
}
