import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../lib/generated/prisma/client";
import { seal } from "../../lib/crypto/secret-box";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../../lib/db/embedded";
import { deployMigrations } from "../../lib/db/migrate";

type SimAddress = { host: string; port: number; username: string };

// A PostgreSQL cluster of a test's own (embedded, in a temporary folder, on a fixed port), for the tests that stop
// and restart the database: doing that to the shared test server would break every other test. It comes with a
// secret key, a Prisma client while it runs, hosts registered straight into it with sealed keys, and scans queued
// through the app's own code in a child process, so the test process holds no pg-boss on the cluster.
export class OwnCluster {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-own-cluster-"));
  readonly port: number;
  readonly secret = crypto.randomBytes(32);
  private pg: EmbeddedDatabase | undefined;
  private client: PrismaClient | undefined;

  // `portBase`: a range of 2,000 ports of the test's own, so that two such tests never pick the same one.
  constructor(portBase: number) {
    fs.chmodSync(this.dir, 0o755);
    this.port = portBase + Math.floor(Math.random() * 2000);
  }

  get url(): string {
    if (!this.pg) throw new Error("the cluster has not been started");
    return this.pg.url;
  }

  get db(): PrismaClient {
    if (!this.client) throw new Error("the cluster is not running");
    return this.client;
  }

  // Starts the cluster (the first time: creates and migrates it) and opens a Prisma client on it.
  async start(): Promise<void> {
    const first = !this.pg;
    this.pg = await startEmbeddedDatabase({ dataDir: this.dir, port: this.port });
    if (this.pg.port !== this.port) throw new Error(`the cluster came up on port ${this.pg.port}, not ${this.port}`);
    if (first) await deployMigrations({ url: this.pg.url, migrationsDir: path.resolve("prisma/migrations") });
    this.client = new PrismaClient({ adapter: new PrismaPg({ connectionString: this.pg.url }) });
  }

  // Stops it, after the Prisma client (the folder and the address stay, for start() again).
  async stop(): Promise<void> {
    await this.client?.$disconnect();
    this.client = undefined;
    await this.pg?.stop();
  }

  // A host with a key credential sealed with this cluster's secret; its id.
  async addHost(name: string, sim: SimAddress, privateKey: string): Promise<string> {
    const sealed = seal(JSON.stringify({ privateKey }), this.secret);
    const credential = await this.db.credential.create({
      data: {
        kind: "key",
        ciphertext: new Uint8Array(sealed.ciphertext),
        iv: new Uint8Array(sealed.iv),
        authTag: new Uint8Array(sealed.authTag),
      },
    });
    const host = await this.db.host.create({
      data: {
        name,
        address: sim.host,
        port: sim.port,
        username: sim.username,
        authMethod: "key",
        credentialId: credential.id,
      },
    });
    return host.id;
  }

  // Queues a scan for each host through lib/scan/request-scan (test/support/queue-scans.ts); `env` adds settings.
  queueScans(hostIds: string[], env: Record<string, string> = {}): void {
    const queued = spawnSync(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "test/support/queue-scans.ts", ...hostIds],
      { env: { ...process.env, DATABASE_URL: this.url, ...env }, encoding: "utf8" },
    );
    if (queued.status !== 0) throw new Error(`queueing the scans failed (exit ${queued.status}): ${queued.stderr}`);
  }

  async remove(): Promise<void> {
    await this.stop().catch(() => undefined);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
