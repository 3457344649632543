import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as bulkScan } from "@/app/api/scans/route";
import { closeDb, getDb } from "@/lib/db";
import { resetSecretKeyCache } from "@/lib/crypto/secret-key";
import { stopBoss } from "@/lib/scan/queue";
import { call, resetDatabase, tokenFor } from "../support/api";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { generateKeyPair, startSimHost, type SimHost } from "../support/sim-fleet";
import { registerSimHost } from "../support/register-sim-host";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../support/worker-process";

// A scan requested in the app starts at once on an `npm run worker` process too, not at the worker's next poll:
// the request sends a PostgreSQL NOTIFY that the worker LISTENs for (lib/wake-signal.ts). The worker here polls
// once an hour, so only the notification can start its scans within the test's deadlines.
const SECRET = crypto.randomBytes(32).toString("hex");
process.env.DAXBOARD_SECRET_KEY = SECRET;

const profile = DEMO_FLEET.find((p) => p.name === "kunpeng920-02")!;
const respond = (token: string) => simulatedDocument(profile, token);

let operator: string;
let worker: WorkerProcess;
const sims: SimHost[] = [];
const hostIds: string[] = [];

// The worker's LISTEN connection, as PostgreSQL sees it (the last statement it ran).
const listeners = async () =>
  getDb().$queryRaw<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database() and query like 'listen "daxboard_%'`;

async function scanAll(): Promise<string[]> {
  const res = await call(bulkScan, { body: { hostIds }, token: operator });
  expect(res.status).toBe(202);
  const ids = (res.json.scans as { id: string }[]).map((s) => s.id);
  await waitFor(
    async () => (await getDb().scan.count({ where: { id: { in: ids }, status: "succeeded" } })) === ids.length,
    30_000,
    "the worker process to run the requested scans",
  );
  return ids;
}

beforeAll(async () => {
  resetSecretKeyCache();
  await resetDatabase();
  operator = await tokenFor("operator");
  const client = generateKeyPair();
  for (let i = 0; i < 3; i++) {
    const sim = await startSimHost({ respond, authorizedKeys: [client.publicKey] });
    sims.push(sim);
    hostIds.push(await registerSimHost(operator, `wake-${i}`, sim, client.privateKey));
  }
  worker = startWorkerProcess({
    DATABASE_URL: process.env.DATABASE_URL!,
    DAXBOARD_SECRET_KEY: SECRET,
    DAXBOARD_WORKER_POLL_MS: "3600000",
    DAXBOARD_IN_PROCESS_WORKERS: "0",
  });
  await waitFor(async () => (await listeners()).length === 1, 30_000, "the worker to listen for wake-ups");
});

afterAll(async () => {
  await worker?.kill("SIGKILL");
  await Promise.all(sims.map((s) => s.close()));
  await stopBoss();
  await closeDb();
  resetSecretKeyCache();
});

describe("waking workers in other processes", () => {
  it("a bulk request starts its scans on a worker process that polls once an hour", async () => {
    await scanAll();
    expect(worker.output()).not.toMatch(/error/i);
  });

  it("a worker whose listening connection was dropped listens again and is woken again", async () => {
    const [before] = await listeners();
    await getDb().$queryRaw`select pg_terminate_backend(${before!.pid}::int)`;
    await waitFor(
      async () => {
        const now = await listeners();
        return now.length === 1 && now[0]!.pid !== before!.pid;
      },
      30_000,
      "the worker to listen again",
    );
    await scanAll();
  });
});
