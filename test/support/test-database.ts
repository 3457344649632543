import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "../../lib/db/embedded";
import { deployMigrations } from "../../lib/db/migrate";

export type TestServer = { baseUrl: string; kind: "external" | "embedded"; stop: () => Promise<void> };

// The PostgreSQL server tests run against: DATABASE_URL's server when set, else a throwaway embedded one.
export async function startTestServer(): Promise<TestServer> {
  const external = process.env.DATABASE_URL;
  if (external) return { baseUrl: external, kind: "external", stop: async () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-test-"));
  // Postgres runs as the postgres user when we are root: it must be able to traverse the temp dir.
  fs.chmodSync(dir, 0o755);
  const db = await startEmbeddedDatabase({ dataDir: dir, port: 55432 });
  return {
    baseUrl: db.url,
    kind: "embedded",
    stop: async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

// A fresh, migrated database on the test server; drop() removes it.
export async function createTestDatabase(baseUrl: string, prefix = "daxboard_test") {
  const name = `${prefix}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: withDatabase(baseUrl, "postgres") });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(baseUrl, name);
  await deployMigrations({ url, migrationsDir: path.resolve("prisma/migrations") });
  return {
    name,
    url,
    drop: async () => {
      const client = new pg.Client({ connectionString: withDatabase(baseUrl, "postgres") });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
