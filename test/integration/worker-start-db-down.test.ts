import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { seal } from "@/lib/crypto/secret-box";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { deployMigrations } from "@/lib/db/migrate";
import { startSimHost, type SimHost } from "../support/sim-fleet";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../support/worker-process";

// A worker started while PostgreSQL is down (a reboot brings it up first) waits for the database instead of
// exiting, and works once it answers. Its own embedded cluster, so stopping it touches nothing else.
describe("a worker started while the database is down", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-db-down-"));
  fs.chmodSync(dir, 0o755);
  const port = 58000 + Math.floor(Math.random() * 2000);
  const secret = crypto.randomBytes(32);
  let pg: EmbeddedDatabase | undefined;
  let worker: WorkerProcess | undefined;
  let sim: SimHost | undefined;
  let db: PrismaClient | undefined;

  afterAll(async () => {
    await worker?.kill("SIGKILL");
    await db?.$disconnect();
    await sim?.close();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("retries with backoff, one line per attempt, and scans once PostgreSQL is up", async () => {
    // A migrated cluster with one host and its scan queued, then stopped: its address is where the worker looks.
    pg = await startEmbeddedDatabase({ dataDir: dir, port });
    await deployMigrations({ url: pg.url, migrationsDir: path.resolve("prisma/migrations") });
    db = new PrismaClient({ adapter: new PrismaPg({ connectionString: pg.url }) });
    sim = await startSimHost();
    const sealed = seal(JSON.stringify({ privateKey: sim.clientKey!.privateKey }), secret);
    const credential = await db.credential.create({
      data: {
        kind: "key",
        ciphertext: new Uint8Array(sealed.ciphertext),
        iv: new Uint8Array(sealed.iv),
        authTag: new Uint8Array(sealed.authTag),
      },
    });
    const host = await db.host.create({
      data: {
        name: "after-the-outage",
        address: sim.host,
        port: sim.port,
        username: sim.username,
        authMethod: "key",
        credentialId: credential.id,
      },
    });
    // Queued through the app's own code, in a child so this process holds no pg-boss on the cluster.
    const queued = spawnSync(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "test/support/queue-scans.ts", host.id],
      { env: { ...process.env, DATABASE_URL: pg.url }, encoding: "utf8" },
    );
    expect(queued.status, queued.stderr).toBe(0);
    await db.$disconnect();
    await pg.stop();

    worker = startWorkerProcess({ DATABASE_URL: pg.url, DAXBOARD_SECRET_KEY: secret.toString("hex") });
    await waitFor(() => /retrying in 2 s/.test(worker!.output()), 20_000, "the worker to retry").catch((err) => {
      throw new Error(`${err.message}; worker output:\n${worker!.output().slice(-2000)}`);
    });
    expect(worker.child.exitCode, worker.output()).toBeNull();
    expect(worker.output()).toMatch(/database not reachable, retrying in 1 s/);

    pg = await startEmbeddedDatabase({ dataDir: dir, port });
    expect(pg.port).toBe(port);
    db = new PrismaClient({ adapter: new PrismaPg({ connectionString: pg.url }) });
    await waitFor(
      async () => (await db!.scan.findFirst({ where: { hostId: host.id } }))?.status === "succeeded",
      30_000,
      "the queued scan to succeed",
    ).catch((err) => {
      throw new Error(`${err.message}; worker output:\n${worker!.output().slice(-2000)}`);
    });
    expect(sim.stats.execs).toBe(1);
    expect(worker.output()).toMatch(/scan workers started/);

    const exit = new Promise<number | null>((resolve) => worker!.child.once("exit", resolve));
    worker.child.kill("SIGTERM");
    expect(await exit, worker.output()).toBe(0);
  }, 90_000);
});
