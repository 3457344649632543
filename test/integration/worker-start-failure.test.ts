import { describe, expect, it } from "vitest";
import { getBoss, WEBHOOK_QUEUE } from "@/lib/scan/queue";
import { startScanWorkers } from "@/lib/scan/worker";
import { wakeWorkers } from "@/lib/scan/wake";
import { scanSuite } from "../support/scan-suite";

// startScanWorkers starts its helpers one after the other (re-assessment, history pruning, webhook delivery). When
// one fails to start, the ones started before it must not stay subscribed: their pg-boss pollers would go on in a
// process whose workers never started, and a later start would run them twice.
scanSuite();

describe("a worker whose webhook delivery cannot start", () => {
  it("fails its start and stops the helpers it had started", async () => {
    const boss = await getBoss();
    const work = boss.work.bind(boss);
    const offWork = boss.offWork.bind(boss);
    const notifyWorker = boss.notifyWorker.bind(boss);
    const started: string[] = [];
    const stopped: string[] = [];
    const notified: string[] = [];
    // The real pg-boss, watched: which pollers start and stop, and which are woken. Only the webhook queue's start
    // is made to fail.
    boss.work = (async (name: string, ...rest: unknown[]) => {
      if (name === WEBHOOK_QUEUE) throw new Error("webhook queue unavailable");
      const id = await (work as (...a: unknown[]) => Promise<string>)(name, ...rest);
      started.push(id);
      return id;
    }) as typeof boss.work;
    boss.offWork = (async (arg: string | { id: string }) => {
      if (typeof arg === "object") stopped.push(arg.id);
      return offWork(arg as never);
    }) as typeof boss.offWork;
    boss.notifyWorker = ((id: string) => {
      notified.push(id);
      return notifyWorker(id);
    }) as typeof boss.notifyWorker;
    try {
      await expect(startScanWorkers({ concurrency: 2, pollMs: 60_000, maintenanceMs: 60_000 })).rejects.toThrow(
        "webhook queue unavailable",
      );
      // Re-assessment and pruning had started their pollers; both were stopped.
      expect(started).toHaveLength(2);
      expect([...stopped].sort()).toEqual([...started].sort());
      // And nothing is left listening for wake-ups: a wake reaches no poller.
      wakeWorkers();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(notified).toEqual([]);
    } finally {
      boss.work = work;
      boss.offWork = offWork;
      boss.notifyWorker = notifyWorker;
    }
  });
});
