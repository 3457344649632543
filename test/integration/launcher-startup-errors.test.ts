import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { seal } from "@/lib/crypto/secret-box";
import { createTestDatabase } from "../support/test-database";
import { freePort } from "../support/processes";

// Each start-up failure of `npm start`'s launcher (tsx lib/cli/start.ts, as npm start runs it after the build):
// one line naming the cause, exit code 1, and no stack trace. None of these gets as far as starting Next.js.

const serverUrl = () => process.env.DAXBOARD_TEST_SERVER_URL ?? process.env.DATABASE_URL!;

type Run = { code: number | null; stdout: string; stderr: string; firstLine: string };

async function launch(env: Record<string, string | undefined>): Promise<Run> {
  const full: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(await freePort()),
    DAXBOARD_EMBEDDED_PG_PORT: String(await freePort()),
    LOG_LEVEL: "warn",
    ...env,
  };
  for (const [key, value] of Object.entries(full)) if (value === undefined) delete full[key];
  const child = spawn(process.execPath, ["--import", "tsx", "lib/cli/start.ts"], { env: full });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { code, stdout, stderr, firstLine: stderr.split("\n")[0] ?? "" };
}

function expectOneLineFailure(run: Run) {
  expect(run.code, run.stdout + run.stderr).toBe(1);
  expect(run.stderr).not.toMatch(/^ {4}at /m);
  expect(run.stdout).not.toMatch(/^ {4}at /m);
  expect(run.firstLine).toMatch(/^daxboard: /);
}

describe("launcher start-up failures", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-fail-"));
    dirs.push(dir);
    return dir;
  };
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names the port and PORT when the port is taken", async () => {
    const taken = net.createServer();
    const port = await new Promise<number>((resolve) =>
      taken.listen(0, () => resolve((taken.address() as net.AddressInfo).port)),
    );
    try {
      const run = await launch({ PORT: String(port), DAXBOARD_DATA_DIR: tempDir(), DATABASE_URL: serverUrl() });
      expectOneLineFailure(run);
      expect(run.firstLine).toBe(
        `daxboard: port ${port} is already in use; stop what listens there, or set PORT to a free port`,
      );
    } finally {
      taken.close();
    }
  }, 60_000);

  it("names the data directory and DAXBOARD_DATA_DIR when it cannot be written", async () => {
    const file = path.join(tempDir(), "a-file");
    fs.writeFileSync(file, "");
    const dataDir = path.join(file, "data");
    const run = await launch({ DAXBOARD_DATA_DIR: dataDir, DATABASE_URL: serverUrl() });
    expectOneLineFailure(run);
    expect(run.firstLine).toBe(
      `daxboard: the data directory ${dataDir} is not writable (ENOTDIR); set DAXBOARD_DATA_DIR to a directory ` +
        `this user can write, or fix its owner and mode`,
    );
  }, 60_000);

  it("shows where the embedded database's log is and its last lines when the server does not start", async () => {
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o755);
    // A cluster directory that claims a version but holds no configuration: postgres refuses it at once.
    fs.mkdirSync(path.join(dataDir, "pg"), { mode: 0o700 });
    fs.writeFileSync(path.join(dataDir, "pg", "PG_VERSION"), "18\n");
    if (process.getuid?.() === 0) fs.chownSync(path.join(dataDir, "pg"), postgresUid(), postgresUid());
    const run = await launch({ DAXBOARD_DATA_DIR: dataDir, DATABASE_URL: undefined });
    expectOneLineFailure(run);
    const log = path.join(dataDir, "postgres.log");
    expect(run.firstLine).toMatch(
      /^daxboard: the embedded PostgreSQL stopped while starting \(exit \d+\); the last lines of its log /,
    );
    expect(run.firstLine).toContain(`${log}:`);
    expect(run.stderr).toMatch(/^ {2}\| .*postgresql\.conf/m);
    expect(fs.readFileSync(log, "utf8")).toContain("postgresql.conf");
  }, 60_000);

  it("names the server and user when an external DATABASE_URL refuses the login, never the password", async () => {
    const url = new URL(serverUrl());
    url.username = "daxboard_nobody";
    url.password = "not-the-password-8d1f";
    const run = await launch({ DAXBOARD_DATA_DIR: tempDir(), DATABASE_URL: url.toString() });
    expectOneLineFailure(run);
    expect(run.firstLine).toMatch(
      new RegExp(
        `^daxboard: PostgreSQL at ${url.hostname}:${url.port || 5432} refused the login of user ` +
          `"daxboard_nobody" \\(DATABASE_URL\\): `,
      ),
    );
    expect(run.stdout + run.stderr).not.toContain("not-the-password-8d1f");
  }, 60_000);

  it("says when the secret key does not decrypt the stored secrets, from DAXBOARD_SECRET_KEY or the key file", async () => {
    const db = await createTestDatabase(serverUrl(), "daxboard_keycheck");
    cleanups.push(db.drop);
    const sealedWith = crypto.randomBytes(32);
    const sealed = seal(JSON.stringify({ password: "ssh password" }), sealedWith);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(
      `insert into "Credential" (id, kind, ciphertext, iv, "authTag", "updatedAt") values ($1, 'password', $2, $3, $4, now())`,
      ["cred-keycheck", sealed.ciphertext, sealed.iv, sealed.authTag],
    );
    await client.end();

    const fromEnv = await launch({
      DAXBOARD_DATA_DIR: tempDir(),
      DATABASE_URL: db.url,
      DAXBOARD_SECRET_KEY: crypto.randomBytes(32).toString("hex"),
    });
    expectOneLineFailure(fromEnv);
    expect(fromEnv.firstLine).toBe(
      "daxboard: DAXBOARD_SECRET_KEY does not decrypt the stored SSH secrets: the key must be the one the data " +
        "was sealed with",
    );

    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, "secret.key"), crypto.randomBytes(32).toString("hex") + "\n", { mode: 0o600 });
    const fromFile = await launch({ DAXBOARD_DATA_DIR: dataDir, DATABASE_URL: db.url, DAXBOARD_SECRET_KEY: undefined });
    expectOneLineFailure(fromFile);
    expect(fromFile.firstLine).toBe(
      `daxboard: the secret key in ${path.join(dataDir, "secret.key")} does not decrypt the stored SSH secrets: ` +
        "the key must be the one the data was sealed with",
    );
  }, 90_000);
});

function postgresUid(): number {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  return Number(line?.split(":")[2] ?? 0);
}
