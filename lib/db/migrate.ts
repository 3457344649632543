import fs from "node:fs";
import path from "node:path";
import {
  nextMigrationDirectoryName,
  normaliseMigrationName,
  readMigrationsList,
  writeMigration,
} from "./migrations-dir";
import { openSchemaEngine, takeEnginePanic, type EngineSession, type SchemaFile } from "./schema-engine";
import { createTemporaryDatabase } from "./temp-database";

// Offline replacement for `prisma migrate deploy | dev | diff --exit-code`, on Prisma's WebAssembly schema engine
// (STACK.md). Same `_prisma_migrations` table and prisma/migrations layout as the CLI. Functions return values and
// throw MigrateError; printing and exit codes belong to lib/cli/db.ts.

export type MigrateErrorCode =
  | "database_unreachable" // cannot connect, or the credentials are refused
  | "migration_failed" // a migration's SQL failed; it is recorded as failed in _prisma_migrations
  | "failed_migration_pending" // an earlier failed migration blocks new ones (Prisma's P3009)
  | "migrations_missing" // the migrations directory does not exist
  | "schema_missing" // schema.prisma cannot be read
  | "invalid_name" // the migration name has no usable characters
  | "engine_error"; // anything else the engine reported

export class MigrateError extends Error {
  override readonly name = "MigrateError";
  constructor(
    readonly code: MigrateErrorCode,
    message: string,
    readonly details: { migrationName?: string; engineMessage?: string } = {},
  ) {
    super(message);
  }
}

const PROVIDER = "postgresql";
const NO_FILTERS = { externalTables: [], externalEnums: [] };

export const defaultMigrationsDir = () => path.join(process.cwd(), "prisma", "migrations");
export const defaultSchemaPath = () => path.join(process.cwd(), "prisma", "schema.prisma");

export type DeployOptions = { url: string; migrationsDir?: string };
export type DeployResult = { applied: string[]; durationMs: number };

export type CreateMigrationOptions = {
  url: string;
  name: string;
  schemaPath?: string;
  migrationsDir?: string;
  // Apply the new migration to `url` right away, as `prisma migrate dev` does. Default true.
  apply?: boolean;
};
export type CreateMigrationResult =
  | { created: false; message: string; applied: string[] }
  | { created: true; message: string; applied: string[]; directoryName: string; path: string; script: string };

export type CheckOptions = { url: string; schemaPath?: string; migrationsDir?: string };
export type CheckResult = {
  inSync: boolean;
  // SQL that would bring a database built from the migrations to schema.prisma; empty when in sync.
  missingSql: string;
  migrationCount: number;
  durationMs: number;
};

// Applies every pending migration in order, under the engine's advisory lock, so concurrent starters are safe.
export async function deployMigrations(opts: DeployOptions): Promise<DeployResult> {
  const started = Date.now();
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  if (!fs.existsSync(/*turbopackIgnore: true*/ migrationsDir)) {
    throw new MigrateError("migrations_missing", `No migrations directory at ${migrationsDir}.`);
  }
  const applied = await withEngine({ url: opts.url }, (session) => applyPending(session, migrationsDir));
  return { applied, durationMs: Date.now() - started };
}

// Brings the database at `url` up to date with the migrations, then writes the difference between it and
// schema.prisma as a new migration directory. No change means no directory, and a message saying so.
export async function createMigration(opts: CreateMigrationOptions): Promise<CreateMigrationResult> {
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  const name = normaliseMigrationName(opts.name);
  if (!name)
    throw new MigrateError("invalid_name", `"${opts.name}" is not a usable migration name: use letters, digits or _.`);
  const schema = readSchema(opts.schemaPath ?? defaultSchemaPath());
  return withEngine({ url: opts.url, schema }, async (session) => {
    const applied = await applyPending(session, migrationsDir);
    const script = await diffDatabaseToSchema(session, schema);
    if (script === undefined) {
      return {
        created: false,
        applied,
        message: "schema.prisma has no changes since the last migration: nothing to create.",
      };
    }
    const existing = (await readMigrationsList(migrationsDir)).migrationDirectories.map((d) => d.path);
    const directoryName = nextMigrationDirectoryName(name, existing);
    const directory = await writeMigration({ migrationsDir, directoryName, script, provider: PROVIDER });
    if (opts.apply ?? true) applied.push(...(await applyPending(session, migrationsDir)));
    return { created: true, applied, directoryName, path: directory, script, message: `Created ${directoryName}.` };
  });
}

// Whether the migrations produce exactly schema.prisma. They are replayed into a fresh temporary database on the
// server at `url`, which is then diffed against the schema; the database at `url` itself is not touched.
// (Diffing from the migrations folder directly made the engine replay them on its main connection.)
export async function checkDrift(opts: CheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir();
  if (!fs.existsSync(/*turbopackIgnore: true*/ migrationsDir)) {
    throw new MigrateError("migrations_missing", `No migrations directory at ${migrationsDir}.`);
  }
  const schema = readSchema(opts.schemaPath ?? defaultSchemaPath());
  const scratch = await createTemporaryDatabase(opts.url, "daxboard_check").catch((error: unknown) => {
    throw connectionError(error);
  });
  try {
    return await withEngine({ url: scratch.url, schema }, async (session) => {
      const migrationCount = (await applyPending(session, migrationsDir)).length;
      const missingSql = await diffDatabaseToSchema(session, schema);
      return {
        inSync: missingSql === undefined,
        missingSql: missingSql ?? "",
        migrationCount,
        durationMs: Date.now() - started,
      };
    });
  } finally {
    await scratch.drop();
  }
}

// Marks a failed migration as rolled back (`prisma migrate resolve --rolled-back`), so deploy retries it. Only
// correct when its statements left nothing behind, which PostgreSQL's single-transaction apply ensures.
export async function markMigrationRolledBack(opts: { url: string; migrationName: string }): Promise<void> {
  await withEngine({ url: opts.url }, (session) =>
    session.engine.markMigrationRolledBack({ migrationName: opts.migrationName }),
  );
}

function readSchema(schemaPath: string): SchemaFile {
  try {
    return { path: schemaPath, content: fs.readFileSync(/*turbopackIgnore: true*/ schemaPath, "utf8") };
  } catch (error) {
    throw new MigrateError(
      "schema_missing",
      `Cannot read the Prisma schema at ${schemaPath}: ${(error as Error).message}`,
    );
  }
}

async function withEngine<T>(
  opts: { url: string; schema?: SchemaFile },
  work: (session: EngineSession) => Promise<T>,
): Promise<T> {
  let session: EngineSession;
  try {
    session = await openSchemaEngine(opts);
  } catch (error) {
    throw toMigrateError(error);
  }
  try {
    return await work(session);
  } catch (error) {
    throw toMigrateError(error);
  } finally {
    await session.close();
  }
}

async function applyPending(session: EngineSession, migrationsDir: string): Promise<string[]> {
  const migrationsList = await readMigrationsList(migrationsDir);
  const { appliedMigrationNames } = await session.engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
  return appliedMigrationNames;
}

// The SQL from the live database to the schema, or undefined when there is none.
async function diffDatabaseToSchema(session: EngineSession, schema: SchemaFile): Promise<string | undefined> {
  const result = await session.engine.diff({
    from: { tag: "schemaDatasource", files: [schema], configDir: path.dirname(schema.path) },
    to: { tag: "schemaDatamodel", files: [schema] },
    script: true,
    exitCode: true,
    filters: NO_FILTERS,
  });
  // With exitCode set the engine answers 2 for a non-empty diff, 0 for none.
  return result.exitCode === 0 ? undefined : (result.stdout ?? "");
}

function connectionError(error: unknown): MigrateError {
  const message = error instanceof Error ? error.message : String(error);
  return new MigrateError("database_unreachable", `Cannot use the database: ${message}`, { engineMessage: message });
}

// Engine errors carry a Prisma error code for known conditions and a Rust span trace after the message.
function toMigrateError(error: unknown): MigrateError {
  if (error instanceof MigrateError) return error;
  const panic = takeEnginePanic();
  const raw = error instanceof Error ? error.message : String(error);
  const engineMessage = panic ? `${raw}\n${panic}` : raw;
  const code = (error as { code?: unknown })?.code;
  const headline = raw.split("\n   0: ")[0].trim();
  const migrationName = /migration_name="([^"]+)"/.exec(raw)?.[1];
  if (code === "P3009") return new MigrateError("failed_migration_pending", headline, { engineMessage });
  if (migrationName && /apply_migration::apply_script/.test(raw)) {
    const reason = /Error querying the database: (.*)/.exec(raw)?.[1] ?? headline;
    return new MigrateError(
      "migration_failed",
      `Migration ${migrationName} failed: ${reason}. PostgreSQL rolled its statements back, and it is recorded as ` +
        `failed in _prisma_migrations: fix migration.sql, then run \`tsx lib/cli/db.ts resolve --rolled-back ` +
        `${migrationName}\` and deploy again.`,
      { migrationName, engineMessage },
    );
  }
  // Through the driver adapter the engine's connection errors come without their P1xxx code: match the text.
  if (
    /Can't reach database server|Database `[^`]*` does not exist|denied access|authentication failed|ECONNREFUSED|ENOTFOUND/i.test(
      raw,
    )
  ) {
    return new MigrateError("database_unreachable", `Cannot use the database: ${headline}`, { engineMessage });
  }
  return new MigrateError("engine_error", `Schema engine error: ${panic ?? headline}`, { engineMessage });
}
