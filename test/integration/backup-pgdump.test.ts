import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPgTool, serverMajor, type PgToolChoice } from "@/lib/db/pg-tools";
import { restorePgDump } from "@/lib/db/restore-pgdump";
import {
  cli,
  databaseUrl,
  dir,
  dropDatabase,
  key,
  openSecrets,
  query,
  seedDatabase,
  serverUrl,
  snapshot,
} from "./backup-fixture";

// npm run db:backup / db:restore through PostgreSQL's own pg_dump and pg_restore, and the fallback to the logical
// format when this machine has no pg_dump as new as the server.
beforeAll(seedDatabase);
afterAll(dropDatabase);

// This machine's pg_dump and pg_restore for the test server, when it has ones at least as new (Debian's 15 for the
// CI server 15); without them the pg_dump cases are skipped, saying why.
async function toolsForServer(): Promise<{ dump: PgToolChoice; restore: PgToolChoice }> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const major = await serverMajor(client);
    return { dump: findPgTool("pg_dump", major), restore: findPgTool("pg_restore", major) };
  } finally {
    await client.end();
  }
}
const tools = await toolsForServer();
const missing = tools.dump.reason ?? tools.restore.reason;

// A folder for DAXBOARD_PG_BINDIR whose pg_dump and pg_restore log their argv and PGPASSWORD, then run the real
// ones: what `ps` would show of them is exactly what the log holds.
function spyingBinDir(log: string): string {
  const bin = fs.mkdtempSync(path.join(dir, "bin-"));
  for (const tool of [tools.dump.tool!, tools.restore.tool!]) {
    const script = `#!/bin/sh\nprintf '%s\\n' "argv: $0 $*" "env: $PGPASSWORD" >> '${log}'\nexec '${tool.file}' "$@"\n`;
    fs.writeFileSync(path.join(bin, path.basename(tool.file)), script, { mode: 0o755 });
  }
  return bin;
}

describe.skipIf(missing)(`db:backup and db:restore with pg_dump${missing ? ` (skipped: ${missing})` : ""}`, () => {
  it("backs up with pg_dump -Fc, restores with pg_restore --clean, the password never in argv", async () => {
    const before = await snapshot();
    const password = `pw-${crypto.randomBytes(6).toString("hex")}`;
    const withPassword = new URL(databaseUrl());
    withPassword.password = password;
    const log = path.join(dir, "tools.log");
    const env = { DATABASE_URL: withPassword.toString(), DAXBOARD_PG_BINDIR: spyingBinDir(log) };
    const dump = path.join(dir, "daxboard.dump");

    const backup = cli(["backup", dump], key, env);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(
      /^db:backup: wrote .*daxboard\.dump \(.*pg_dump \d+ custom format\) .* Host 3, .*Scan 6/,
    );
    expect(backup.stdout).toMatch(/Keep the secret key .*DAXBOARD_SECRET_KEY/);
    expect(fs.readFileSync(dump).subarray(0, 5).toString()).toBe("PGDMP");
    expect(fs.statSync(dump).mode & 0o777).toBe(0o600);

    await query(`truncate "Host", "Credential", "AuditEvent" cascade`);
    const refused = cli(["restore", dump], key, env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^db:restore: the database already holds \d+ table\(s\): .* add --clean /);
    const restore = cli(["restore", dump, "--clean"], key, env);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stderr).toBe("");
    expect(restore.stdout).toMatch(
      /^db:restore: restored .*daxboard\.dump \(made .* on PostgreSQL \d+.*Host 3, .*Scan 6/,
    );
    expect(await snapshot()).toEqual(before);
    expect(await openSecrets(key)).toEqual(["pw-0", "pw-1", "pw-2"]);

    // Each run logged two lines: its argv, then its PGPASSWORD. The version probes need no connection.
    const lines = fs.readFileSync(log, "utf8").trim().split("\n");
    const runs = lines.flatMap((l, i) => (i % 2 === 0 ? [{ argv: l, env: lines[i + 1] }] : []));
    const connected = runs.filter((r) => !r.argv.endsWith(" --version"));
    // pg_dump; nothing for the refused restore; pg_restore --list, the whole archive to /dev/null, then the load.
    expect(connected.map((r) => r.argv.match(/^argv: \S*\/(pg_\w+)/)?.[1])).toEqual([
      "pg_dump",
      "pg_restore",
      "pg_restore",
      "pg_restore",
    ]);
    expect(connected.some((r) => / --format=custom /.test(r.argv))).toBe(true);
    expect(connected.some((r) => / --single-transaction /.test(r.argv))).toBe(true);
    expect(runs.filter((r) => r.argv.includes(password))).toEqual([]);
    expect(connected.map((r) => r.env)).toEqual(connected.map(() => `env: ${password}`));
    expect(backup.stdout + backup.stderr + restore.stdout).not.toContain(password);
  });

  it("reads a cut-short archive whole before touching the database, and refuses it in one line", async () => {
    const before = await snapshot();
    const dump = path.join(dir, "daxboard.dump");
    const cut = path.join(dir, "cut.dump");
    fs.writeFileSync(cut, fs.readFileSync(dump).subarray(0, Math.floor(fs.statSync(dump).size * 0.9)));
    const restore = cli(["restore", cut, "--clean"]);
    expect(restore.status).toBe(1);
    expect(restore.stderr).toMatch(/^db:restore: pg_restore \d+ failed: .*\n$/);
    expect(await snapshot()).toEqual(before);
  });

  it("applies this checkout's newer migrations after a restore, again over their own tables with --clean", async () => {
    const migrationsDir = path.join(dir, "migrations");
    fs.cpSync(path.resolve("prisma/migrations"), migrationsDir, { recursive: true });
    const newer = "29991231000000_backup_probe";
    fs.mkdirSync(path.join(migrationsDir, newer));
    fs.writeFileSync(path.join(migrationsDir, newer, "migration.sql"), `create table "BackupProbe" ("id" int);\n`);
    const dump = path.join(dir, "daxboard.dump");
    for (let i = 0; i < 2; i++) {
      const result = await restorePgDump(databaseUrl(), dump, { clean: true, migrationsDir });
      expect(result.laterMigrations).toEqual([newer]);
      expect(result.tables.find((t) => t.table === "Scan")?.rows).toBe(6);
    }
  });
});

describe("db:backup without a usable pg_dump", () => {
  it("falls back to the logical format, saying why in one line, and refuses a forced --format pg_dump", () => {
    const bin = fs.mkdtempSync(path.join(dir, "old-"));
    fs.writeFileSync(path.join(bin, "pg_dump"), `#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n`, { mode: 0o755 });
    const env = { DAXBOARD_PG_BINDIR: bin };
    const fallback = cli(["backup", path.join(dir, "fallback.backup")], key, env);
    expect(fallback.status, fallback.stderr).toBe(0);
    const [reason, wrote] = fallback.stdout.split("\n");
    expect(reason).toMatch(
      /^db:backup: no pg_dump ≥ \d+ on this machine \(found 9\): writing DAXboard's own logical backup format\.$/,
    );
    expect(wrote).toMatch(/^db:backup: wrote .*fallback\.backup \(.*logical format\)/);
    expect(fs.readFileSync(path.join(dir, "fallback.backup")).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const forced = cli(["backup", path.join(dir, "forced.backup"), "--format", "pg_dump"], key, env);
    expect(forced.status).toBe(1);
    expect(forced.stderr).toMatch(/^db:backup: --format pg_dump: no pg_dump ≥ \d+ on this machine \(found 9\)\n$/);
    expect(fs.existsSync(path.join(dir, "forced.backup"))).toBe(false);
  });
});
