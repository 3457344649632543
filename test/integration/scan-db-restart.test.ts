import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { deployMigrations } from "@/lib/db/migrate";
import { seal } from "@/lib/crypto/secret-box";
import { minimalProbeDocument, startSimFleet, type SimFleet } from "../support/sim-fleet";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../support/worker-process";

// PostgreSQL restarts in the middle of a scan batch. This uses its own embedded cluster so the restart
// touches nothing else. The worker process must not crash-loop, and every queued scan must still end.
describe("database restart during a scan batch", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-restart-"));
  fs.chmodSync(dir, 0o755);
  const port = 56000 + Math.floor(Math.random() * 2000);
  const secret = crypto.randomBytes(32);
  let pg: EmbeddedDatabase | undefined;
  let worker: WorkerProcess | undefined;
  let fleet: SimFleet | undefined;
  let db: PrismaClient | undefined;

  afterAll(async () => {
    await worker?.kill("SIGKILL");
    await db?.$disconnect();
    await fleet?.close();
    await pg?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the worker alive and finishes every scan after PostgreSQL comes back", async () => {
    pg = await startEmbeddedDatabase({ dataDir: dir, port });
    await deployMigrations({ url: pg.url, migrationsDir: path.resolve("prisma/migrations") });
    db = new PrismaClient({ adapter: new PrismaPg({ connectionString: pg.url }) });

    // Slow hosts (each document drips out over ~1.5 s) so the batch spans the restart.
    fleet = await startSimFleet(24, () => ({ behaviour: "drip", dripIntervalMs: 10, respond: minimalProbeDocument }));
    const client = fleet.clientKey;
    const sealed = seal(JSON.stringify({ privateKey: client.privateKey }), secret);
    const hostIds: string[] = [];
    for (const [i, sim] of fleet.hosts.entries()) {
      const cred = await db.credential.create({
        data: {
          kind: "key",
          ciphertext: new Uint8Array(sealed.ciphertext),
          iv: new Uint8Array(sealed.iv),
          authTag: new Uint8Array(sealed.authTag),
        },
      });
      const host = await db.host.create({
        data: {
          name: `slow-${i}`,
          address: sim.host,
          port: sim.port,
          username: sim.username,
          authMethod: "key",
          credentialId: cred.id,
        },
      });
      hostIds.push(host.id);
    }
    worker = startWorkerProcess({
      DATABASE_URL: pg.url,
      DAXBOARD_SECRET_KEY: secret.toString("hex"),
      DAXBOARD_WORKER_CONCURRENCY: "4",
      DAXBOARD_SCAN_EXPIRE_SECONDS: "6",
      DAXBOARD_SCAN_RETRY_DELAY_SECONDS: "1",
      DAXBOARD_QUEUE_MAINTENANCE_SECONDS: "1",
    });
    // Queue through the app's own code path, in a child so this process keeps no pg-boss tied to the cluster.
    const { spawnSync } = await import("node:child_process");
    const queued = spawnSync(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "test/support/queue-scans.ts", ...hostIds],
      {
        env: {
          ...process.env,
          DATABASE_URL: pg.url,
          DAXBOARD_SCAN_EXPIRE_SECONDS: "6",
          DAXBOARD_SCAN_RETRY_DELAY_SECONDS: "1",
        },
        encoding: "utf8",
      },
    );
    expect(queued.status, queued.stderr).toBe(0);

    await waitFor(
      async () => (await db!.scan.count({ where: { status: "succeeded" } })) >= 2,
      90_000,
      "the batch to get going",
    ).catch((err) => {
      throw new Error(`${err.message}; worker output:\n${worker!.output().slice(-3000)}`);
    });
    await db.$disconnect();
    await pg.stop();
    await new Promise((r) => setTimeout(r, 2500));
    expect(worker.child.exitCode, worker.output()).toBeNull();
    pg = await startEmbeddedDatabase({ dataDir: dir, port });
    db = new PrismaClient({ adapter: new PrismaPg({ connectionString: pg.url }) });

    await waitFor(
      async () => (await db!.scan.count({ where: { status: { in: ["queued", "running"] } } })) === 0,
      90_000,
      "every scan to end after the restart",
    );
    expect(worker.child.exitCode, worker.output()).toBeNull();
    const scans = await db.scan.findMany();
    expect(scans).toHaveLength(24);
    expect(scans.filter((s) => s.status === "succeeded")).toHaveLength(24);
    expect(await db.host.count({ where: { currentScanId: null } })).toBe(0);
    // The worker really saw the outage (its connections were cut, or polls and saves failed) and carried on.
    expect(worker.output()).toMatch(/queue error|queue fetch failed|scan interrupted/);
  }, 240_000);
});
