import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getSettings, PUT as putSettings } from "@/app/api/settings/route";
import { GET as getHistory } from "@/app/api/settings/history/route";
import { POST as pruneNow } from "@/app/api/settings/history/prune/route";
import { closeDb, getDb } from "@/lib/db";
import { pruneCron, startPruneWorker } from "@/lib/history/prune-worker";
import { getBoss, PRUNE_QUEUE, stopBoss } from "@/lib/scan/queue";
import { call, resetDatabase, tokenFor } from "../support/api";

// The retention policy as an admin setting (validated, audited), the history overview, and "Prune now" through the
// queue to the prune worker as the app runs it.

let admin: string;
let operator: string;
let viewer: string;
let hostId: string;
let stopWorker: () => Promise<void>;
let savedCron: string | undefined;

const OUTPUT = "x".repeat(3000);

beforeAll(async () => {
  await resetDatabase();
  [admin, operator, viewer] = await Promise.all([tokenFor("admin"), tokenFor("operator"), tokenFor("viewer")]);
  const host = await getDb().host.create({
    data: { name: "h1", address: "10.15.1.1", username: "ops", authMethod: "agent" },
    select: { id: true },
  });
  hostId = host.id;
  // 100 daily scans, the newest 1 day and 1 hour old; drift on every 40th.
  await getDb().$executeRaw`
    insert into "Scan" (id, "hostId", status, "requestedBy", "createdAt", "rawOutput", drift)
    select gen_random_uuid()::text, ${hostId}, 'succeeded', 'seed', now() - make_interval(days => i, hours => 1),
      ${OUTPUT}, case when i % 40 = 0 then '[{"field":"verdict","from":"a","to":"b"}]'::jsonb end
    from generate_series(1, 100) i`;
  // Only "Prune now" may prune here: the schedule fires on 29 February at midnight, not during this file.
  savedCron = process.env.DAXBOARD_HISTORY_PRUNE_CRON;
  process.env.DAXBOARD_HISTORY_PRUNE_CRON = "0 0 29 2 *";
  stopWorker = await startPruneWorker(await getBoss());
});
afterAll(async () => {
  await stopWorker();
  await stopBoss();
  await closeDb();
  if (savedCron === undefined) delete process.env.DAXBOARD_HISTORY_PRUNE_CRON;
  else process.env.DAXBOARD_HISTORY_PRUNE_CRON = savedCron;
});

const put = (body: unknown, token = admin) => call(putSettings, { method: "PUT", body, token });

describe("history retention settings", () => {
  it("defaults to the last 20 scans and 30 days", async () => {
    const res = await call(getSettings, { token: viewer });
    expect(res.json.settings).toMatchObject({ historyKeepScans: 20, historyKeepDays: 30 });
  });

  it("refuses values out of range with the field named, and non-admins", async () => {
    for (const [body, field] of [
      [{ historyKeepScans: 0 }, "historyKeepScans"],
      [{ historyKeepScans: 2.5 }, "historyKeepScans"],
      [{ historyKeepDays: -1 }, "historyKeepDays"],
      [{ historyKeepDays: 3651 }, "historyKeepDays"],
      [{ historyKeepDays: "30" }, "historyKeepDays"],
    ] as const) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.error.field).toBe(field);
    }
    expect((await put({ historyKeepScans: 5 }, operator)).status).toBe(403);
    expect((await call(getSettings, { token: viewer })).json.settings.historyKeepScans).toBe(20);
  });

  it("saves the policy for admins and audits old → new", async () => {
    const res = await put({ historyKeepScans: 10, historyKeepDays: 0 });
    expect(res.status).toBe(200);
    expect(res.json.settings).toMatchObject({ historyKeepScans: 10, historyKeepDays: 0 });
    const event = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "settings.update" },
      orderBy: { at: "desc" },
    });
    expect(event.detail).toEqual({
      changes: { historyKeepScans: { old: 20, new: 10 }, historyKeepDays: { old: 30, new: 0 } },
    });
  });
});

describe("history overview and Prune now", () => {
  it("shows the database size and the history it holds, to admins only", async () => {
    expect((await call(getHistory, { token: operator })).status).toBe(403);
    const res = await call(getHistory, { token: admin });
    expect(res.status).toBe(200);
    const { stats, policy, lastPrune } = res.json;
    expect(policy).toEqual({ keepScans: 10, keepDays: 0 });
    expect(lastPrune).toBeNull();
    expect(stats).toMatchObject({ scans: 100, driftScans: 2, rawOutputBytes: 100 * OUTPUT.length });
    expect(Date.now() - Date.parse(stats.oldestScanAt)).toBeGreaterThan(100 * 86_400_000);
    expect(stats.databaseBytes).toBeGreaterThan(stats.scanTableBytes);
    expect(stats.scanTableBytes).toBeGreaterThan(0);
  });

  it("registers the schedule on the prune queue (hourly unless DAXBOARD_HISTORY_PRUNE_CRON says otherwise)", async () => {
    expect(pruneCron()).toBe("0 0 29 2 *");
    const schedules = await (await getBoss()).getSchedules();
    expect(schedules.find((s) => s.name === PRUNE_QUEUE)?.cron).toBe(pruneCron());
  });

  it("queues a prune for admins (audited) that the worker runs with the saved policy", async () => {
    expect((await call(pruneNow, { method: "POST", token: operator })).status).toBe(403);
    const res = await call(pruneNow, { method: "POST", token: admin });
    expect(res.status).toBe(202);
    expect(res.json.queued).toBe(true);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "history.prune" } });
    expect(audit.detail).toMatchObject({ keepScans: 10, keepDays: 0, jobId: res.json.jobId });

    const deadline = Date.now() + 20_000;
    let overview = (await call(getHistory, { token: admin })).json;
    while (!overview.lastPrune && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      overview = (await call(getHistory, { token: admin })).json;
    }
    // The newest 10 and the drift scans at 40 and 80 days.
    expect(overview.lastPrune).toMatchObject({ deletedScans: 88 });
    expect(overview.stats).toMatchObject({ scans: 12, driftScans: 2, rawOutputBytes: 12 * OUTPUT.length });
    expect(await getDb().scan.count({ where: { hostId } })).toBe(12);
  });

  it("falls back to the hourly schedule when DAXBOARD_HISTORY_PRUNE_CRON is not a cron expression", async () => {
    process.env.DAXBOARD_HISTORY_PRUNE_CRON = "every hour";
    const stop = await startPruneWorker(await getBoss());
    await stop();
    const schedules = await (await getBoss()).getSchedules();
    expect(schedules.find((s) => s.name === PRUNE_QUEUE)?.cron).toBe("7 * * * *");
  });

  it("registers no schedule, and removes an earlier one, when DAXBOARD_HISTORY_PRUNE_CRON is off", async () => {
    process.env.DAXBOARD_HISTORY_PRUNE_CRON = "off";
    const stop = await startPruneWorker(await getBoss());
    await stop();
    const schedules = await (await getBoss()).getSchedules();
    expect(schedules.find((s) => s.name === PRUNE_QUEUE)).toBeUndefined();
  });
});
