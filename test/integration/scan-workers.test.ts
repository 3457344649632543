import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { PATCH as patchHost } from "@/app/api/hosts/[id]/route";
import { POST as requestScan } from "@/app/api/hosts/[id]/scans/route";
import { POST as bulkScan } from "@/app/api/scans/route";
import { closeDb, getDb } from "@/lib/db";
import { resetSecretKeyCache } from "@/lib/crypto/secret-key";
import { stopBoss } from "@/lib/scan/queue";
import { call, resetDatabase, tokenFor } from "../support/api";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { generateKeyPair, startSimFleet, startSimHost, type SimFleet, type SimHost } from "../support/sim-fleet";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../support/worker-process";

// Workers in other processes must share the database and the credential key.
const SECRET = crypto.randomBytes(32).toString("hex");
process.env.DAXBOARD_SECRET_KEY = SECRET;
process.env.DAXBOARD_SCAN_EXPIRE_SECONDS = "3";
process.env.DAXBOARD_SCAN_RETRY_DELAY_SECONDS = "1";
process.env.DAXBOARD_QUEUE_MAINTENANCE_SECONDS = "1";

const profile = DEMO_FLEET.find((p) => p.name === "kunpeng920-02")!;
const respond = (token: string) => simulatedDocument(profile, token);
const workerEnv = () => ({
  DATABASE_URL: process.env.DATABASE_URL!,
  DAXBOARD_SECRET_KEY: SECRET,
  DAXBOARD_SCAN_EXPIRE_SECONDS: "3",
  DAXBOARD_SCAN_RETRY_DELAY_SECONDS: "1",
  DAXBOARD_QUEUE_MAINTENANCE_SECONDS: "1",
  DAXBOARD_WORKER_CONCURRENCY: "8",
});

let operator: string;
const workers: WorkerProcess[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  resetSecretKeyCache();
  await resetDatabase();
  operator = await tokenFor("operator");
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill("SIGKILL")));
  await Promise.all(closers.map((c) => c()));
  await stopBoss();
  await closeDb();
  resetSecretKeyCache();
});

async function registerSim(name: string, sim: SimHost, privateKey: string) {
  const res = await call(createHost, {
    body: { name, address: sim.host, port: sim.port, username: sim.username, auth: { type: "key", privateKey } },
    token: operator,
  });
  expect(res.status).toBe(201);
  return res.json.host.id as string;
}

describe("scale-out workers", () => {
  it("two worker processes share the queue and complete every scan exactly once", async () => {
    const fleet: SimFleet = await startSimFleet(40, () => ({ respond }));
    closers.push(fleet.close);
    const ids: string[] = [];
    for (const [i, sim] of fleet.hosts.entries())
      ids.push(await registerSim(`fleet-${i}`, sim, fleet.clientKey.privateKey));
    workers.push(startWorkerProcess(workerEnv()), startWorkerProcess(workerEnv()));
    const res = await call(bulkScan, { body: { filter: { q: "fleet-" } }, token: operator });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ requested: 40, created: 40 });
    await waitFor(
      async () => (await getDb().scan.count({ where: { status: { in: ["queued", "running"] } } })) === 0,
      60_000,
      "all scans to end",
    );
    const scans = await getDb().scan.findMany({ where: { hostId: { in: ids } } });
    expect(scans).toHaveLength(40);
    expect(scans.every((s) => s.status === "succeeded" && s.attempts === 1)).toBe(true);
    expect(fleet.hosts.map((h) => h.stats.execs)).toEqual(Array(40).fill(1));
    // Both processes took work (each logs its own "scan" lines only if it ran any: count executions by pid).
    expect(workers.every((w) => w.child.exitCode === null)).toBe(true);
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  });

  it("a worker killed mid-scan leaves no scan running: the job expires, is retried and the scan ends", async () => {
    const key = generateKeyPair();
    const hostKey = generateKeyPair();
    const stalling = await startSimHost({
      behaviour: "stall-after-auth",
      respond,
      authorizedKeys: [key.publicKey],
      hostKey,
    });
    const healthy = await startSimHost({ respond, authorizedKeys: [key.publicKey], hostKey });
    closers.push(stalling.close, healthy.close);
    const id = await registerSim("killed-mid-scan", stalling, key.privateKey);

    const doomed = startWorkerProcess({
      ...workerEnv(),
      DAXBOARD_SSH_EXEC_TIMEOUT_MS: "60000",
      DAXBOARD_SSH_SCAN_TIMEOUT_MS: "60000",
    });
    workers.push(doomed);
    const queued = await call(requestScan, { params: { id }, token: operator, method: "POST" });
    const scanId = queued.json.scan.id as string;
    await waitFor(
      async () => (await getDb().scan.findUniqueOrThrow({ where: { id: scanId } })).status === "running",
      20_000,
      "the scan to start",
    );
    await waitFor(() => stalling.stats.connections > 0, 10_000, "the worker to connect");
    await doomed.kill("SIGKILL");
    expect((await getDb().scan.findUniqueOrThrow({ where: { id: scanId } })).status).toBe("running");

    // The host recovers; a fresh worker picks up the expired job.
    await call(patchHost, {
      method: "PATCH",
      params: { id },
      body: { port: healthy.port },
      token: await tokenFor("admin"),
    });
    const rescuer = startWorkerProcess(workerEnv());
    workers.push(rescuer);
    await waitFor(
      async () =>
        ["succeeded", "failed"].includes((await getDb().scan.findUniqueOrThrow({ where: { id: scanId } })).status),
      30_000,
      "the retried scan to end",
    );
    const ended = await getDb().scan.findUniqueOrThrow({ where: { id: scanId } });
    expect(ended.status).toBe("succeeded");
    expect(ended.attempts).toBe(2);
    expect(healthy.stats.execs).toBe(1);
    await rescuer.kill();
  });

  it("retries transient failures with backoff, not permanent ones", async () => {
    const key = generateKeyPair();
    const hostKey = generateKeyPair();
    const silent = await startSimHost({ behaviour: "no-banner", respond, authorizedKeys: [key.publicKey], hostKey });
    const broken = await startSimHost({ behaviour: "exit-1", respond, authorizedKeys: [key.publicKey], hostKey });
    closers.push(silent.close, broken.close);
    const transientId = await registerSim("transient", silent, key.privateKey);
    const permanentId = await registerSim("permanent", broken, key.privateKey);
    const worker = startWorkerProcess({
      ...workerEnv(),
      DAXBOARD_SSH_CONNECT_TIMEOUT_MS: "800",
      DAXBOARD_SCAN_EXPIRE_SECONDS: "30",
    });
    workers.push(worker);
    const t = await call(requestScan, { params: { id: transientId }, token: operator, method: "POST" });
    const p = await call(requestScan, { params: { id: permanentId }, token: operator, method: "POST" });
    const ended = (id: string) => async () =>
      ["succeeded", "failed"].includes((await getDb().scan.findUniqueOrThrow({ where: { id } })).status);
    await waitFor(ended(t.json.scan.id), 40_000, "the transient scan to end");
    await waitFor(ended(p.json.scan.id), 10_000, "the permanent scan to end");
    const transient = await getDb().scan.findUniqueOrThrow({ where: { id: t.json.scan.id } });
    const permanent = await getDb().scan.findUniqueOrThrow({ where: { id: p.json.scan.id } });
    expect(transient).toMatchObject({ status: "failed", errorClass: "timeout", attempts: 3 });
    expect(permanent).toMatchObject({ status: "failed", errorClass: "probe-failed", attempts: 1 });
    await worker.kill();
  });
});
