import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeBackup } from "@/lib/db/backup";
import { restoreBackup } from "@/lib/db/restore";
import { cli, databaseUrl, dir, dropDatabase, key, openSecrets, query, seedDatabase, snapshot } from "./backup-fixture";

// npm run db:backup / db:restore in DAXboard's logical format (what a machine without a pg_dump as new as the
// server writes): seed hosts with sealed secrets and scan history, back up, wipe, restore, and find every row as
// it was and every secret opening with the same key.
const file = path.join(dir, "daxboard.backup");

beforeAll(seedDatabase);
afterAll(dropDatabase);

describe("db:backup and db:restore", () => {
  it("round-trips hosts, scan history and sealed secrets through a wiped database (--format logical)", async () => {
    const before = await snapshot();
    expect(JSON.parse(before.Scan!)).toHaveLength(6);
    const backup = cli(["backup", file, "--format", "logical"]);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^db:backup: wrote .*daxboard\.backup \(.*logical format\) .* Host 3, .*Scan 6/);
    expect(backup.stdout).toMatch(/Keep the secret key .*DAXBOARD_SECRET_KEY/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    await query("drop schema public cascade; create schema public");
    // A different key in place: the rows come back, and the command says the secrets do not open with it.
    const wrongKey = cli(["restore", file], crypto.randomBytes(32).toString("hex"));
    expect(wrongKey.status).toBe(1);
    expect(wrongKey.stderr.trim()).toMatch(
      /^db:restore: the 3 restored SSH secret\(s\) do not open with DAXBOARD_SECRET_KEY/,
    );

    const restore = cli(["restore", file, "--clean"]);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stderr).toBe("");
    expect(await snapshot()).toEqual(before);
    expect(await openSecrets(key)).toEqual(["pw-0", "pw-1", "pw-2"]);
    const drift = await query<{ n: number }>(`select count(*)::int as n from "Scan" where "drift" is not null`);
    expect(drift[0]!.n).toBeGreaterThan(0);
  });

  it("answers each failure in one line: missing file, not a backup, truncated, a database in use or not empty", async () => {
    const missing = cli(["restore", path.join(dir, "nope.backup")]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(`db:restore: ${path.join(dir, "nope.backup")} does not exist\n`);

    const notBackup = path.join(dir, "notes.txt");
    fs.writeFileSync(notBackup, "hello\n");
    await expect(restoreBackup(databaseUrl(), notBackup)).rejects.toThrow(/notes\.txt is not a DAXboard backup/);
    const truncated = path.join(dir, "cut.backup");
    fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size / 2)));
    await expect(restoreBackup(databaseUrl(), truncated, { clean: true })).rejects.toThrow(/cut\.backup is truncated/);

    await expect(restoreBackup(databaseUrl(), file)).rejects.toThrow(/already holds \d+ table\(s\).*--clean/);
    const holder = new pg.Client({ connectionString: databaseUrl() });
    await holder.connect();
    try {
      await expect(restoreBackup(databaseUrl(), file, { clean: true })).rejects.toThrow(
        /1 other connection\(s\).*stop the app/,
      );
    } finally {
      await holder.end();
    }
    const refused = new URL(databaseUrl());
    refused.port = "1";
    await expect(writeBackup(refused.toString(), path.join(dir, "x"))).rejects.toThrow(
      /^the database server at 127\.0\.0\.1:1 refused the connection/,
    );
  });
});
