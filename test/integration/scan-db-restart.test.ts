import { afterAll, describe, expect, it } from "vitest";
import { minimalProbeDocument, startSimFleet, type SimFleet } from "../support/sim-fleet";
import { OwnCluster } from "../support/own-cluster";
import { startWorkerProcess, waitFor, type WorkerProcess } from "../support/worker-process";

// PostgreSQL restarts in the middle of a scan batch. This uses its own embedded cluster so the restart
// touches nothing else. The worker process must not crash-loop, and every queued scan must still end.
describe("database restart during a scan batch", () => {
  const cluster = new OwnCluster(56000);
  let worker: WorkerProcess | undefined;
  let fleet: SimFleet | undefined;

  afterAll(async () => {
    await worker?.kill("SIGKILL");
    await fleet?.close();
    await cluster.remove();
  });

  it("keeps the worker alive and finishes every scan after PostgreSQL comes back", async () => {
    await cluster.start();
    // Slow hosts (each document drips out over ~1.5 s) so the batch spans the restart.
    fleet = await startSimFleet(24, () => ({ behaviour: "drip", dripIntervalMs: 10, respond: minimalProbeDocument }));
    const hostIds: string[] = [];
    for (const [i, sim] of fleet.hosts.entries()) {
      hostIds.push(await cluster.addHost(`slow-${i}`, sim, fleet.clientKey.privateKey));
    }
    worker = startWorkerProcess({
      DATABASE_URL: cluster.url,
      DAXBOARD_SECRET_KEY: cluster.secret.toString("hex"),
      DAXBOARD_WORKER_CONCURRENCY: "4",
      DAXBOARD_SCAN_EXPIRE_SECONDS: "6",
      DAXBOARD_SCAN_RETRY_DELAY_SECONDS: "1",
      DAXBOARD_QUEUE_MAINTENANCE_SECONDS: "1",
    });
    // Queued through the app's own code path.
    cluster.queueScans(hostIds, { DAXBOARD_SCAN_EXPIRE_SECONDS: "6", DAXBOARD_SCAN_RETRY_DELAY_SECONDS: "1" });

    await waitFor(
      async () => (await cluster.db.scan.count({ where: { status: "succeeded" } })) >= 2,
      90_000,
      "the batch to get going",
    ).catch((err) => {
      throw new Error(`${err.message}; worker output:\n${worker!.output().slice(-3000)}`);
    });
    await cluster.stop();
    await new Promise((r) => setTimeout(r, 2500));
    expect(worker.child.exitCode, worker.output()).toBeNull();
    await cluster.start();

    await waitFor(
      async () => (await cluster.db.scan.count({ where: { status: { in: ["queued", "running"] } } })) === 0,
      90_000,
      "every scan to end after the restart",
    );
    expect(worker.child.exitCode, worker.output()).toBeNull();
    const scans = await cluster.db.scan.findMany();
    expect(scans).toHaveLength(24);
    expect(scans.filter((s) => s.status === "succeeded")).toHaveLength(24);
    expect(await cluster.db.host.count({ where: { currentScanId: null } })).toBe(0);
    // The worker really saw the outage (its connections were cut, or polls and saves failed) and carried on.
    expect(worker.output()).toMatch(/queue error|queue fetch failed|scan interrupted/);
  }, 240_000);
});
