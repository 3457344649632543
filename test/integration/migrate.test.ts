import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  checkDrift,
  createMigration,
  deployMigrations,
  markMigrationRolledBack,
  MigrateError,
} from "../../lib/db/migrate";
import { createTemporaryDatabase, type TemporaryDatabase } from "../../lib/db/temp-database";

// The offline migration runner (lib/db/migrate) against a real PostgreSQL: every test gets its own throwaway
// database and, where it changes anything, its own copy of prisma/schema.prisma and prisma/migrations.

const repoRoot = path.resolve(import.meta.dirname, "../..");
const realSchema = path.join(repoRoot, "prisma", "schema.prisma");
const realMigrations = path.join(repoRoot, "prisma", "migrations");
const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const committedMigrations = fs
  .readdirSync(realMigrations, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const cleanups: (() => Promise<void>)[] = [];
const createdDatabases = new Set<string>();

async function freshDatabase(): Promise<TemporaryDatabase> {
  const db = await createTemporaryDatabase(serverUrl, "daxboard_mig_test");
  createdDatabases.add(db.name);
  cleanups.push(db.drop);
  return db;
}

// A project-shaped copy: <tmp>/prisma/schema.prisma and <tmp>/prisma/migrations.
function projectCopy(): { root: string; schemaPath: string; migrationsDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-mig-"));
  cleanups.push(async () => fs.rmSync(root, { recursive: true, force: true }));
  const schemaPath = path.join(root, "prisma", "schema.prisma");
  const migrationsDir = path.join(root, "prisma", "migrations");
  fs.mkdirSync(path.dirname(schemaPath), { recursive: true });
  fs.copyFileSync(realSchema, schemaPath);
  fs.cpSync(realMigrations, migrationsDir, { recursive: true });
  return { root, schemaPath, migrationsDir };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

type MigrationRow = {
  id: string;
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
};

const migrationRows = (url: string) =>
  query<MigrationRow>(url, `select * from _prisma_migrations order by started_at, migration_name`);

const sha256File = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

const PROBE_MODEL = `\nmodel ProbeRun {\n  id    String @id @default(cuid())\n  label String\n}\n`;

beforeEach(() => {
  expect(cleanups).toHaveLength(0);
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  // Every database this file made is gone, including those of a test that failed half-way.
  const names = [...createdDatabases];
  const leftovers = await query<{ datname: string }>(
    serverUrl,
    `select datname from pg_database where datname = any('{${names.join(",")}}')`,
  );
  expect(leftovers).toEqual([]);
});

describe("deployMigrations", () => {
  it("creates the tables on an empty database and records each migration as the Prisma CLI does", async () => {
    const db = await freshDatabase();
    const result = await deployMigrations({ url: db.url, migrationsDir: realMigrations });
    expect(result.applied).toEqual(committedMigrations);

    const tables = await query<{ table_name: string }>(
      db.url,
      `select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        "User",
        "Session",
        "ApiToken",
        "Credential",
        "Host",
        "Scan",
        "GuestProfile",
        "AuditEvent",
        "_prisma_migrations",
      ]),
    );

    const rows = await migrationRows(db.url);
    expect(rows.map((r) => r.migration_name)).toEqual(committedMigrations);
    for (const row of rows) {
      // The CLI's checksum: SHA-256, lower-case hex, of migration.sql exactly as committed.
      expect(row.checksum).toBe(sha256File(path.join(realMigrations, row.migration_name, "migration.sql")));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
    }
  });

  it("is idempotent: a second deploy applies nothing and records nothing", async () => {
    const db = await freshDatabase();
    await deployMigrations({ url: db.url, migrationsDir: realMigrations });
    const before = await migrationRows(db.url);
    const again = await deployMigrations({ url: db.url, migrationsDir: realMigrations });
    expect(again.applied).toEqual([]);
    expect(await migrationRows(db.url)).toEqual(before);
  });

  it("applies a script with semicolons in strings, comments and function bodies as one script", async () => {
    const db = await freshDatabase();
    const project = projectCopy();
    const dir = path.join(project.migrationsDir, "29990101000000_semicolons");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "migration.sql"),
      `-- a comment; with a semicolon\nCREATE TABLE "Note" ("body" TEXT NOT NULL);\n` +
        `INSERT INTO "Note" VALUES ('a;b');\n` +
        `CREATE FUNCTION note_count() RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT count(*) FROM "Note"); END; $$;\n`,
    );
    await deployMigrations({ url: db.url, migrationsDir: project.migrationsDir });
    expect(await query(db.url, `select body, note_count() as n from "Note"`)).toEqual([{ body: "a;b", n: "1" }]);
  });

  it("reports a failed migration, records it as failed, rolls its statements back and blocks later deploys", async () => {
    const db = await freshDatabase();
    const project = projectCopy();
    const name = "29990101000000_broken";
    const script = path.join(project.migrationsDir, name, "migration.sql");
    fs.mkdirSync(path.dirname(script));
    fs.writeFileSync(script, `CREATE TABLE "HalfDone" ("id" INTEGER);\nSELEC broken;\n`);

    const failure = await deployMigrations({ url: db.url, migrationsDir: project.migrationsDir }).catch(
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(MigrateError);
    expect(failure).toMatchObject({ code: "migration_failed", details: { migrationName: name } });
    expect((failure as MigrateError).message).toContain(`syntax error at or near "SELEC"`);

    const row = (await migrationRows(db.url)).find((r) => r.migration_name === name);
    expect(row).toMatchObject({
      finished_at: null,
      rolled_back_at: null,
      applied_steps_count: 0,
      checksum: sha256File(script),
    });
    expect(row?.logs).toContain(`syntax error at or near "SELEC"`);
    // One implicit transaction, as with the CLI: the statement before the error left nothing behind.
    expect(await query(db.url, `select to_regclass('"HalfDone"') as t`)).toEqual([{ t: null }]);

    await expect(deployMigrations({ url: db.url, migrationsDir: project.migrationsDir })).rejects.toMatchObject({
      code: "failed_migration_pending",
    });

    // The way out: fix the script, mark the failed attempt rolled back, deploy again.
    fs.writeFileSync(script, `CREATE TABLE "HalfDone" ("id" INTEGER);\n`);
    await markMigrationRolledBack({ url: db.url, migrationName: name });
    const retried = await deployMigrations({ url: db.url, migrationsDir: project.migrationsDir });
    expect(retried.applied).toEqual([name]);
  });

  it("says the database is unreachable instead of hanging", async () => {
    await expect(
      deployMigrations({ url: "postgresql://postgres@127.0.0.1:1/nowhere", migrationsDir: realMigrations }),
    ).rejects.toMatchObject({ code: "database_unreachable" });
  });
});

describe("checkDrift", () => {
  it("passes on the committed schema and migrations, without touching the given database", async () => {
    const db = await freshDatabase();
    const result = await checkDrift({ url: db.url, schemaPath: realSchema, migrationsDir: realMigrations });
    expect(result).toMatchObject({ inSync: true, missingSql: "", migrationCount: committedMigrations.length });
    expect(await query(db.url, `select to_regclass('_prisma_migrations') as t`)).toEqual([{ t: null }]);
  });

  it("fails after a schema change that has no migration, and shows the missing SQL", async () => {
    const db = await freshDatabase();
    const project = projectCopy();
    fs.appendFileSync(project.schemaPath, PROBE_MODEL);
    const result = await checkDrift({
      url: db.url,
      schemaPath: project.schemaPath,
      migrationsDir: project.migrationsDir,
    });
    expect(result.inSync).toBe(false);
    expect(result.missingSql).toContain(`CREATE TABLE "ProbeRun"`);
  });

  it("fails when a migration exists that the schema does not describe", async () => {
    const db = await freshDatabase();
    const project = projectCopy();
    const dir = path.join(project.migrationsDir, "29990101000000_stray");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "migration.sql"), `ALTER TABLE "Host" ADD COLUMN "stray" TEXT;\n`);
    const result = await checkDrift({
      url: db.url,
      schemaPath: project.schemaPath,
      migrationsDir: project.migrationsDir,
    });
    expect(result.inSync).toBe(false);
    expect(result.missingSql).toContain(`DROP COLUMN "stray"`);
  });
});

describe("createMigration", () => {
  it("writes a migration in the CLI's layout that makes check pass, then has nothing left to create", async () => {
    const db = await freshDatabase();
    const project = projectCopy();
    fs.appendFileSync(project.schemaPath, PROBE_MODEL);

    const created = await createMigration({
      url: db.url,
      name: "add probe-run",
      schemaPath: project.schemaPath,
      migrationsDir: project.migrationsDir,
    });
    if (!created.created) throw new Error(`expected a migration, got: ${created.message}`);
    expect(created.directoryName).toMatch(/^\d{14}_add_probe_run$/);
    expect(created.directoryName > committedMigrations.at(-1)!).toBe(true);
    const written = fs.readFileSync(path.join(project.migrationsDir, created.directoryName, "migration.sql"), "utf8");
    expect(written).toBe(created.script);
    expect(written).toContain(`CREATE TABLE "ProbeRun"`);
    expect(fs.readFileSync(path.join(project.migrationsDir, "migration_lock.toml"), "utf8")).toBe(
      `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n`,
    );
    // Applied right away, as `prisma migrate dev` does.
    expect(created.applied).toEqual([...committedMigrations, created.directoryName]);
    expect(await query(db.url, `select to_regclass('"ProbeRun"') as t`)).toEqual([{ t: '"ProbeRun"' }]);

    const check = await checkDrift({
      url: db.url,
      schemaPath: project.schemaPath,
      migrationsDir: project.migrationsDir,
    });
    expect(check.inSync).toBe(true);

    const again = await createMigration({
      url: db.url,
      name: "nothing",
      schemaPath: project.schemaPath,
      migrationsDir: project.migrationsDir,
    });
    expect(again).toMatchObject({ created: false, applied: [] });
    expect(again.message).toMatch(/no changes/);
    expect(fs.readdirSync(project.migrationsDir).filter((name) => name.endsWith("_nothing"))).toEqual([]);
  });

  it("rejects a name with no usable characters", async () => {
    await expect(createMigration({ url: serverUrl, name: " ;; ", schemaPath: realSchema })).rejects.toMatchObject({
      code: "invalid_name",
    });
  });
});

describe("lib/cli/db.ts", () => {
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  const cli = path.join(repoRoot, "lib", "cli", "db.ts");
  const run = (args: string[], cwd: string, env: Record<string, string | undefined>) =>
    promisify(execFile)(tsx, [cli, ...args], { cwd, env: { ...process.env, ...env }, timeout: 20_000 })
      .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
      .catch((e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }));

  it("exits 0 when in sync, 1 on drift and 2 on usage or a missing DATABASE_URL, and never hangs", async () => {
    const db = await freshDatabase();
    const project = projectCopy();
    const started = Date.now();
    expect(await run(["deploy"], project.root, { DATABASE_URL: db.url })).toMatchObject({ code: 0 });
    expect(await run(["check"], project.root, { DATABASE_URL: db.url })).toMatchObject({ code: 0 });
    fs.appendFileSync(project.schemaPath, PROBE_MODEL);
    const drift = await run(["check"], project.root, { DATABASE_URL: db.url });
    expect(drift.code).toBe(1);
    expect(drift.stderr).toContain("npm run db:migrate");
    expect(await run(["frobnicate"], project.root, { DATABASE_URL: db.url })).toMatchObject({ code: 2 });
    const unset = await run(["deploy"], project.root, { DATABASE_URL: undefined });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("DATABASE_URL is not set");
    // Five runs; an engine timer or pool left open would cost 10 s each.
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe("the zero_copy_paths migration (issue 13)", () => {
  it("names the guest profile saved before it 'default' and ties every assessed host to it", async () => {
    const db = await freshDatabase();
    const project = projectCopy();
    const later = committedMigrations.filter((name) => name >= "20261206091034_zero_copy_paths");
    const parked = path.join(project.root, "parked");
    fs.mkdirSync(parked);
    for (const name of later) fs.renameSync(path.join(project.migrationsDir, name), path.join(parked, name));
    await deployMigrations({ url: db.url, migrationsDir: project.migrationsDir });
    await query(
      db.url,
      `insert into "GuestProfile" (id, "ramMiB", "updatedAt") values ('default', 4096, now());
       insert into "Host" (id, name, address, username, "authMethod", "updatedAt") values
         ('h1', 'scanned', '10.0.0.1', 'ops', 'agent', now()), ('h2', 'never', '10.0.0.2', 'ops', 'agent', now());
       insert into "Scan" (id, "hostId", "requestedBy", status, assessment) values
         ('s1', 'h1', 'test', 'succeeded', '{"bestPath": "ksm"}');
       update "Host" set "currentScanId" = 's1' where id = 'h1';`,
    );
    for (const name of later) fs.renameSync(path.join(parked, name), path.join(project.migrationsDir, name));
    await deployMigrations({ url: db.url, migrationsDir: project.migrationsDir });
    expect(
      await query(db.url, `select id, name, "ramMiB", tags, "fsType", "ksmRiskAccepted" from "GuestProfile"`),
    ).toEqual([{ id: "default", name: "default", ramMiB: 4096, tags: [], fsType: "erofs", ksmRiskAccepted: false }]);
    expect(await query(db.url, `select id, "guestProfileId", "bestPath" from "Host" order by id`)).toEqual([
      { id: "h1", guestProfileId: "default", bestPath: "ksm" },
      { id: "h2", guestProfileId: null, bestPath: null },
    ]);
  });
});

describe("the scan_lz4_compression migration (issue 14)", () => {
  it("stores new scan output and JSON with lz4 where the server has it, and applies where it has not", async () => {
    const db = await freshDatabase();
    await deployMigrations({ url: db.url, migrationsDir: realMigrations });
    const lz4 = await query(db.url, `create temporary table lz4_probe (a text compression lz4)`).then(
      () => true,
      () => false,
    );
    const columns = await query<{ attname: string; attcompression: string }>(
      db.url,
      `select attname, attcompression from pg_attribute
       where attrelid = '"Scan"'::regclass and attname in ('rawOutput', 'facts', 'assessment', 'drift')
       order by attname`,
    );
    // "l" is lz4; "" is the server default (pglz).
    expect(columns).toEqual(
      ["assessment", "drift", "facts", "rawOutput"].map((attname) => ({ attname, attcompression: lz4 ? "l" : "" })),
    );
    const [row] = await migrationRows(db.url).then((rows) =>
      rows.filter((r) => r.migration_name.endsWith("_scan_lz4_compression")),
    );
    expect(row?.finished_at).not.toBeNull();
  });
});
