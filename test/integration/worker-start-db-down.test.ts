import { afterAll, describe, expect, it } from "vitest";
import { startSimHost, type SimHost } from "../support/sim-fleet";
import { OwnCluster } from "../support/own-cluster";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../support/worker-process";

// A worker started while PostgreSQL is down (a reboot brings it up first) waits for the database instead of
// exiting, and works once it answers. Its own embedded cluster, so stopping it touches nothing else.
describe("a worker started while the database is down", () => {
  const cluster = new OwnCluster(58000);
  let worker: WorkerProcess | undefined;
  let sim: SimHost | undefined;

  afterAll(async () => {
    await worker?.kill("SIGKILL");
    await sim?.close();
    await cluster.remove();
  });

  it("retries with backoff, one line per attempt, and scans once PostgreSQL is up", async () => {
    // A migrated cluster with one host and its scan queued, then stopped: its address is where the worker looks.
    await cluster.start();
    sim = await startSimHost();
    const hostId = await cluster.addHost("after-the-outage", sim, sim.clientKey!.privateKey);
    cluster.queueScans([hostId]);
    await cluster.stop();

    worker = startWorkerProcess({ DATABASE_URL: cluster.url, DAXBOARD_SECRET_KEY: cluster.secret.toString("hex") });
    await waitFor(() => /retrying in 2 s/.test(worker!.output()), 20_000, "the worker to retry").catch((err) => {
      throw new Error(`${err.message}; worker output:\n${worker!.output().slice(-2000)}`);
    });
    expect(worker.child.exitCode, worker.output()).toBeNull();
    expect(worker.output()).toMatch(/database not reachable, retrying in 1 s/);

    await cluster.start();
    await waitFor(
      async () => (await cluster.db.scan.findFirst({ where: { hostId } }))?.status === "succeeded",
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
