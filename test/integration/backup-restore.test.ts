import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { closeDb } from "@/lib/db";
import { open } from "@/lib/crypto/secret-box";
import { writeBackup } from "@/lib/db/backup";
import { restoreBackup } from "@/lib/db/restore";
import { createTestDatabase } from "../support/test-database";
import { call, tokenFor } from "../support/api";
import { recordSimulatedScan } from "../support/seed-scan";

// npm run db:backup / db:restore end to end on a fresh database of the test server (PostgreSQL 15 on 127.0.0.1
// in CI, whose server is older than the embedded one): seed hosts with sealed secrets and scan history, back up,
// wipe, restore, and find every row as it was and every secret opening with the same key.
const key = crypto.randomBytes(32).toString("hex");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-backup-"));
const file = path.join(dir, "daxboard.backup");
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const TABLES = ["Host", "Scan", "Credential", "User", "ApiToken", "AuditEvent", "GuestProfile"];

function cli(args: string[], secretKey = key) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    DAXBOARD_SECRET_KEY: secretKey,
    DAXBOARD_DATA_DIR: dir,
  };
  return spawnSync(process.execPath, ["--import", "tsx", "lib/cli/db-backup.ts", ...args], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

// Every column of every table in its text form, ordered: equal snapshots mean the same data.
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await query<{ rows: string | null }>(
      `select json_agg(t order by t::text)::text as rows from "${table}" t`,
    );
    out[table] = row!.rows ?? "[]";
  }
  return out;
}

async function openSecrets(secretKey: string): Promise<string[]> {
  const rows = await query<{ ciphertext: Buffer; iv: Buffer; authTag: Buffer }>(
    `select "ciphertext", "iv", "authTag" from "Credential"`,
  );
  return rows.map((r) => JSON.parse(open(r, Buffer.from(secretKey, "hex"))).password).sort();
}

beforeAll(async () => {
  db = await createTestDatabase(process.env.DAXBOARD_TEST_SERVER_URL ?? process.env.DATABASE_URL!, "daxboard_bk");
  process.env.DATABASE_URL = db.url;
  process.env.DAXBOARD_SECRET_KEY = key;
  const operator = await tokenFor("operator");
  for (const [i, sim] of ["altra-max-01", "ampereone-64k-02", "x86-build-01"].entries()) {
    const res = await call(createHost, {
      body: {
        name: `h${i}`,
        address: `10.0.0.${i + 1}`,
        username: "ops",
        auth: { type: "password", password: `pw-${i}` },
      },
      token: operator,
    });
    const hostId = res.json.host.id as string;
    await recordSimulatedScan(hostId, sim);
    await recordSimulatedScan(hostId, i === 0 ? "altra-max-02" : sim); // a drift on h0, a same-again on the others
  }
  await closeDb();
});

afterAll(async () => {
  await closeDb();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("db:backup and db:restore", () => {
  it("round-trips hosts, scan history and sealed secrets through a wiped database", async () => {
    const before = await snapshot();
    expect(JSON.parse(before.Scan!)).toHaveLength(6);
    const backup = cli(["backup", file]);
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/wrote .*daxboard\.backup .* Host 3, .*Scan 6/);
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
    await expect(restoreBackup(db.url, notBackup)).rejects.toThrow(/notes\.txt is not a DAXboard backup/);
    const truncated = path.join(dir, "cut.backup");
    fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size / 2)));
    await expect(restoreBackup(db.url, truncated, { clean: true })).rejects.toThrow(/cut\.backup is truncated/);

    await expect(restoreBackup(db.url, file)).rejects.toThrow(/already holds \d+ table\(s\).*--clean/);
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await expect(restoreBackup(db.url, file, { clean: true })).rejects.toThrow(
        /1 other connection\(s\).*stop the app/,
      );
    } finally {
      await holder.end();
    }
    const refused = new URL(db.url);
    refused.port = "1";
    await expect(writeBackup(refused.toString(), path.join(dir, "x"))).rejects.toThrow(
      /^the database server at 127\.0\.0\.1:1 refused the connection/,
    );
  });
});
