import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/auth/roles";
import { seal } from "@/lib/crypto/secret-box";
import { resetSecretKeyCache } from "@/lib/crypto/secret-key";
import { closeDb, getDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { requestScan } from "@/lib/scan/request-scan";
import { resetDatabase } from "../support/api";
import { startSimFleet, startSimHost, type SimFleet, type SimHost, type SimHostOptions } from "../support/sim-fleet";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../support/worker-process";

// SIGTERM to `npm run worker` in the middle of a 200-host batch: scans that are running finish, scans still running
// at the deadline go back to the queue, and nothing is lost or run twice to completion.
const SECRET = crypto.randomBytes(32);
process.env.DAXBOARD_SECRET_KEY = SECRET.toString("hex");
// Jobs must not expire during the test: a released scan is picked up again because its job was put back, not because
// pg-boss gave up on the stopped worker.
process.env.DAXBOARD_SCAN_EXPIRE_SECONDS = "300";

const workerEnv = (extra: Record<string, string>) => ({
  DATABASE_URL: process.env.DATABASE_URL!,
  DAXBOARD_SECRET_KEY: SECRET.toString("hex"),
  DAXBOARD_SCAN_EXPIRE_SECONDS: "300",
  ...extra,
});

const workers: WorkerProcess[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  resetSecretKeyCache();
  await resetDatabase();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill("SIGKILL")));
  await Promise.all(closers.map((c) => c()));
  await stopBoss();
  await closeDb();
  resetSecretKeyCache();
});

async function registerHosts(sims: SimHost[], privateKey: string): Promise<string[]> {
  const sealed = seal(JSON.stringify({ privateKey }), SECRET);
  const credential = await getDb().credential.create({
    data: {
      kind: "key",
      ciphertext: new Uint8Array(sealed.ciphertext),
      iv: new Uint8Array(sealed.iv),
      authTag: new Uint8Array(sealed.authTag),
    },
  });
  const rows = sims.map((sim, i) => ({
    id: crypto.randomUUID(),
    name: `stop-${String(i).padStart(3, "0")}`,
    address: sim.host,
    port: sim.port,
    username: sim.username,
    authMethod: "key" as const,
    credentialId: credential.id,
  }));
  await getDb().host.createMany({ data: rows });
  return rows.map((r) => r.id);
}

const countBy = async (status: "queued" | "running" | "succeeded" | "failed") =>
  getDb().scan.count({ where: { status } });

const exited = (w: WorkerProcess) =>
  new Promise<number | null>((resolve) => {
    if (w.child.exitCode !== null) return resolve(w.child.exitCode);
    w.child.once("exit", (code) => resolve(code));
  });

describe("graceful stop of a worker process", () => {
  it("a SIGTERM during a 200-host batch loses no scan; a second worker finishes the queued ones", async () => {
    // 195 hosts drip their document out over about 0.6 s; 5 stall until told otherwise (one byte a minute).
    const fleet: SimFleet = await startSimFleet(195, () => ({ behaviour: "drip", dripIntervalMs: 5 }));
    const stalling: SimHostOptions = {
      behaviour: "drip",
      dripIntervalMs: 60_000,
      authorizedKeys: [fleet.clientKey.publicKey],
    };
    const stuck = await Promise.all(Array.from({ length: 5 }, () => startSimHost(stalling)));
    closers.push(fleet.close, ...stuck.map((s) => s.close));
    // The stalled hosts are queued first, so the worker holds them when the stop comes.
    const ids = await registerHosts([...stuck, ...fleet.hosts], fleet.clientKey.privateKey);
    for (const id of ids) await requestScan(systemActor("test"), id, { audit: false });

    const first = startWorkerProcess(
      workerEnv({ DAXBOARD_WORKER_CONCURRENCY: "20", DAXBOARD_STOP_DEADLINE_SECONDS: "6" }),
    );
    workers.push(first);
    await waitFor(
      async () => (await countBy("succeeded")) >= 10 && stuck.every((s) => s.stats.execs === 1),
      60_000,
      "the batch to be in flight",
    );
    const code = exited(first);
    first.child.kill("SIGTERM");
    expect(await code, first.output()).toBe(0);

    // Every scan ended or is queued again, with a job any worker can take at once.
    expect(await countBy("running")).toBe(0);
    expect(await countBy("failed")).toBe(0);
    const queued = await getDb().scan.findMany({ where: { status: "queued" }, select: { id: true, attempts: true } });
    expect(queued.length).toBeGreaterThan(0);
    expect((await countBy("succeeded")) + queued.length).toBe(200);
    const [{ available }] = await getDb().$queryRaw<{ available: number }[]>`
      select count(*)::int as available from pgboss.job
      where name = 'scan' and id = any(${queued.map((s) => s.id)}::uuid[]) and state in ('created', 'retry')`;
    expect(available).toBe(queued.length);
    // The stalled scans were cut off at the deadline and do not count as an attempt.
    const stuckScans = await getDb().scan.findMany({ where: { hostId: { in: ids.slice(0, 5) } } });
    expect(stuckScans.map((s) => [s.status, s.attempts])).toEqual(Array(5).fill(["queued", 0]));
    expect(first.output()).toMatch(/stopping: waiting for running scans/);
    expect(first.output()).toMatch(/scans returned to the queue/);
    // 20 scans in flight each listen for the release: no listener-leak warning on a normal run.
    expect(first.output()).not.toMatch(/MaxListenersExceededWarning/);

    stalling.dripIntervalMs = 5;
    const second = startWorkerProcess(workerEnv({ DAXBOARD_WORKER_CONCURRENCY: "100" }));
    workers.push(second);
    await waitFor(async () => (await countBy("succeeded")) === 200, 60_000, "the queued scans to finish").catch(
      (err) => {
        throw new Error(`${err.message}; second worker:\n${second.output().slice(-2000)}`);
      },
    );
    const scans = await getDb().scan.findMany({ select: { attempts: true } });
    expect(scans.every((s) => s.attempts === 1)).toBe(true);
    // Each drip host ran the probe once; each stalled host once cut off, once to the end.
    expect(fleet.hosts.map((h) => h.stats.execs)).toEqual(Array(195).fill(1));
    expect(stuck.map((h) => h.stats.execs)).toEqual(Array(5).fill(2));
    const stopped = exited(second);
    second.child.kill("SIGTERM");
    expect(await stopped, second.output()).toBe(0);
  }, 120_000);
});
