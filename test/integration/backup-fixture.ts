import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { POST as createHost } from "@/app/api/hosts/route";
import { closeDb } from "@/lib/db";
import { open } from "@/lib/crypto/secret-box";
import { createTestDatabase } from "../support/test-database";
import { call, tokenFor } from "../support/api";
import { recordSimulatedScan } from "../support/seed-scan";

// The database the backup tests round-trip: a fresh one on the test server (PostgreSQL 15 on 127.0.0.1 in CI,
// older than the embedded one) with hosts, sealed secrets and scan history, plus the CLI and the checks on it.
// Each test file gets its own copy of this module, so its own database.
export const key = crypto.randomBytes(32).toString("hex");
export const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-backup-"));
export const serverUrl = process.env.DAXBOARD_TEST_SERVER_URL ?? process.env.DATABASE_URL!;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const TABLES = ["Host", "Scan", "Credential", "User", "ApiToken", "AuditEvent", "GuestProfile"];

export const databaseUrl = () => db.url;

export function cli(args: string[], secretKey = key, extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: db.url,
    DAXBOARD_SECRET_KEY: secretKey,
    DAXBOARD_DATA_DIR: dir,
    ...extra,
  };
  return spawnSync(process.execPath, ["--import", "tsx", "lib/cli/db-backup.ts", ...args], {
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
}

export async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

// Every column of every table in its text form, ordered: equal snapshots mean the same data.
export async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await query<{ rows: string | null }>(
      `select json_agg(t order by t::text)::text as rows from "${table}" t`,
    );
    out[table] = row!.rows ?? "[]";
  }
  return out;
}

export async function openSecrets(secretKey: string): Promise<string[]> {
  const rows = await query<{ ciphertext: Buffer; iv: Buffer; authTag: Buffer }>(
    `select "ciphertext", "iv", "authTag" from "Credential"`,
  );
  return rows.map((r) => JSON.parse(open(r, Buffer.from(secretKey, "hex"))).password).sort();
}

export async function seedDatabase(): Promise<void> {
  db = await createTestDatabase(serverUrl, "daxboard_bk");
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
}

export async function dropDatabase(): Promise<void> {
  await closeDb();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
