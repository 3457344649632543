import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as createWebhook } from "@/app/api/webhooks/route";
import { POST as sendTest } from "@/app/api/webhooks/[id]/test/route";
import { resetSecretKeyCache } from "@/lib/crypto/secret-key";
import { closeDb, getDb, getPool } from "@/lib/db";
import { getBoss, stopBoss } from "@/lib/scan/queue";
import { recordFailure } from "@/lib/scan/record-outcome";
import { ScanError } from "@/lib/ssh/errors";
import { pruneDeliveries, startWebhookWorker } from "@/lib/webhooks/delivery-worker";
import { SCAN_EVENTS_CTE } from "@/lib/webhooks/scan-events-sql";
import { verifySignature } from "@/lib/webhooks/sign";
import { call, resetDatabase, tokenFor } from "../support/api";
import { recordSimulatedScan } from "../support/seed-scan";
import { startReceiver, type Reply } from "./webhooks-receiver";

// Delivery against a real HTTP receiver on loopback, through pg-boss, with delays shortened so the whole file
// takes seconds; every wait below is far longer than a healthy run needs.
Object.assign(process.env, {
  DAXBOARD_SECRET_KEY: "11".repeat(32),
  DAXBOARD_WEBHOOK_RETRY_BASE_MS: "200",
  DAXBOARD_WEBHOOK_TIMEOUT_MS: "1000",
  DAXBOARD_WEBHOOK_SWEEP_MS: "300",
  DAXBOARD_WEBHOOK_POLL_SECONDS: "0.5",
});

let admin: string;
let hostId: string;
let stopWorker: (() => Promise<void>) | null = null;
let receiver: Awaited<ReturnType<typeof startReceiver>> | null = null;

async function endpoint(script: Reply[], body: Record<string, unknown> = {}) {
  receiver = await startReceiver(script);
  const res = await call(createWebhook, {
    token: admin,
    body: { name: "ops", url: receiver.url, events: ["scan-failed-repeatedly", "host-key-changed"], ...body },
  });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.webhook.id as string;
}

const startWorker = async () => (stopWorker = await startWebhookWorker(await getBoss()));

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const deliveries = (webhookId: string) =>
  getDb().webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } });
const settled = (rows: { status: string }[]) =>
  rows.length > 0 && rows.every((r) => !/pending|retrying/.test(r.status));

async function failScan(errorClass: "unreachable" | "host-key-mismatch" = "unreachable") {
  const scan = await getDb().scan.create({ data: { hostId, requestedBy: "test", status: "running" } });
  await recordFailure(scan.id, hostId, new ScanError(errorClass, "no route", {}));
}

beforeAll(async () => {
  resetSecretKeyCache();
  await resetDatabase();
  await getDb().$executeRawUnsafe(`truncate table "Webhook" cascade`);
  admin = await tokenFor("admin");
  const res = await call(createHost, {
    body: { name: "hook-host", address: "10.14.0.2", username: "ops", auth: { type: "agent" } },
    token: await tokenFor("operator"),
  });
  hostId = res.json.host.id;
});
afterEach(async () => {
  await stopWorker?.();
  stopWorker = null;
  await receiver?.stop();
  receiver = null;
  await getDb().$executeRawUnsafe(`truncate table "Webhook" cascade`);
  await getDb().scan.deleteMany({ where: { hostId } });
  await getDb().host.update({ where: { id: hostId }, data: { lastErrorClass: null } });
});
afterAll(async () => {
  await stopBoss();
  await closeDb();
});

describe("webhook delivery", () => {
  it("loses no event across a restart: a failure streak stored with no worker running is sent once one starts", async () => {
    const id = await endpoint([], { secret: "s3cret", failureThreshold: 3 });
    for (let i = 0; i < 4; i++) await failScan();
    const stored = await deliveries(id);
    // One alert at the third failure in a row, none at the fourth; nothing sent while no worker runs.
    expect(stored.map((d) => [d.event, d.status])).toEqual([["scan-failed-repeatedly", "pending"]]);
    expect(receiver!.received).toHaveLength(0);
    await startWorker();
    const [sent] = await waitFor(() => deliveries(id), settled);
    expect(sent).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200 });
    const [request] = receiver!.received;
    const signature = String(request.headers["x-daxboard-signature"]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature("s3cret", request.body, signature)).toBe(true);
    expect(verifySignature("wrong", request.body, signature)).toBe(false);
    expect(verifySignature("s3cret", request.body.replace("4", "5"), signature)).toBe(false);
    // A replay an hour later is refused by the timestamp.
    expect(verifySignature("s3cret", request.body, signature, 300, Math.floor(Date.now() / 1000) + 3600)).toBe(false);
    expect(JSON.parse(request.body)).toMatchObject({
      event: "scan-failed-repeatedly",
      failures: 3,
      errorClass: "unreachable",
      host: { id: hostId, name: "hook-host", address: "10.14.0.2" },
    });
  });

  it("retries a 500 with backoff, then delivers", async () => {
    const id = await endpoint([500, 503]);
    await startWorker();
    await failScan("host-key-mismatch");
    const [sent] = await waitFor(() => deliveries(id), settled);
    expect(sent).toMatchObject({ event: "host-key-changed", status: "delivered", attempts: 3, lastStatusCode: 200 });
    const times = receiver!.received.map((r) => r.at);
    // 200 ms, then 400 ms (DAXBOARD_WEBHOOK_RETRY_BASE_MS doubled).
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(180);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(380);
    // The same mismatch seen again is not a new change.
    await failScan("host-key-mismatch");
    expect(await deliveries(id)).toHaveLength(1);
  });

  it("retries a request that times out", async () => {
    const id = await endpoint(["hang"]);
    await startWorker();
    await failScan("host-key-mismatch");
    const [sent] = await waitFor(() => deliveries(id), settled);
    expect(sent).toMatchObject({ status: "delivered", attempts: 2 });
    expect(receiver!.received).toHaveLength(2);
  });

  it("disables an endpoint that answers 410, and does not retry it", async () => {
    const id = await endpoint([410]);
    await startWorker();
    await failScan("host-key-mismatch");
    const [sent] = await waitFor(() => deliveries(id), settled);
    expect(sent).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 410 });
    const hook = await getDb().webhook.findUniqueOrThrow({ where: { id } });
    expect(hook.enabled).toBe(false);
    expect(hook.disabledReason).toMatch(/410 Gone/);
    // Later events for it are not even stored.
    await getDb().host.update({ where: { id: hostId }, data: { lastErrorClass: null } });
    await failScan("host-key-mismatch");
    expect(await deliveries(id)).toHaveLength(1);
  });

  it("fails a 400 at once, without retrying", async () => {
    const id = await endpoint([400]);
    await startWorker();
    await failScan("host-key-mismatch");
    const [sent] = await waitFor(() => deliveries(id), settled);
    expect(sent).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 400, lastError: "HTTP 400" });
    await new Promise((r) => setTimeout(r, 800));
    expect(receiver!.received).toHaveLength(1);
  });

  it("gives up after the last attempt, and fails at once a secret that no longer opens", async () => {
    process.env.DAXBOARD_WEBHOOK_MAX_ATTEMPTS = "2";
    try {
      const id = await endpoint([500, 500, 500], { secret: "s" });
      await startWorker();
      await failScan("host-key-mismatch");
      const [sent] = await waitFor(() => deliveries(id), settled);
      expect(sent).toMatchObject({ status: "failed", attempts: 2, lastStatusCode: 500, nextAttemptAt: null });
      await getDb().webhook.update({ where: { id }, data: { secretAuthTag: new Uint8Array(16) } });
      await call(sendTest, { token: admin, params: { id } });
      const rows = await waitFor(() => deliveries(id), settled);
      expect(rows[1]).toMatchObject({ event: "test", status: "failed", attempts: 1 });
      expect(rows[1].lastError).toMatch(/signing secret could not be opened/);
      expect(receiver!.received).toHaveLength(2);
    } finally {
      delete process.env.DAXBOARD_WEBHOOK_MAX_ATTEMPTS;
    }
  });

  it("prunes finished deliveries past the kept days, never one still due", async () => {
    const id = await endpoint([]);
    const old = new Date(Date.now() - 31 * 86_400_000);
    const row = (status: string) => ({ webhookId: id, event: "test", payload: {}, status, createdAt: old });
    await getDb().webhookDelivery.createMany({
      data: [row("delivered"), row("failed"), row("retrying"), { ...row("delivered"), createdAt: new Date() }],
    });
    expect(await pruneDeliveries()).toBe(2);
    expect((await deliveries(id)).map((d) => d.status).sort()).toEqual(["delivered", "retrying"]);
  });

  it("sends Slack endpoints a text body, and the test event from the button", async () => {
    const id = await endpoint([], { format: "slack" });
    await startWorker();
    const res = await call(sendTest, { token: admin, params: { id } });
    expect(res.status).toBe(202);
    await waitFor(() => deliveries(id), settled);
    const body = JSON.parse(receiver!.received[0].body);
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toMatch(/^DAXboard test: Test event from DAXboard for "ops"/);
    expect(receiver!.received[0].headers["x-daxboard-signature"]).toBeUndefined();
  });

  it("a real scan save stores host-ready, then drift and verdict-changed when the host changes", async () => {
    const id = await endpoint([], { events: ["drift", "verdict-changed", "host-ready"] });
    const host = await call(createHost, {
      body: { name: "changing", address: "10.9.0.7", username: "ops", auth: { type: "agent" } },
      token: admin,
    });
    const changing = host.json.host.id as string;
    // First good scan: a legacy CH ≤ 22 host whose virtio-fs DAX path is ready → host-ready only.
    const first = await recordSimulatedScan(changing, "altra-max-01");
    expect(first.assessment.bestPath).not.toBeNull();
    expect((await deliveries(id)).map((d) => d.event)).toEqual(["host-ready"]);
    // The same host rescanned as a different machine: its page size, kernel and CH change, and so does its verdict.
    const second = await recordSimulatedScan(changing, "ampereone-64k-02");
    expect(second.verdict).not.toBe(first.verdict);
    const events = (await deliveries(id)).map((d) => d.event).sort();
    expect(events).toEqual(["drift", "host-ready", "verdict-changed"]);
    const drift = (await deliveries(id)).find((d) => d.event === "drift")!.payload as { changes: { field: string }[] };
    expect(drift.changes.map((c) => c.field)).toEqual(expect.arrayContaining(["pageSize", "chVersion"]));
  });

  it("stores drift, verdict and new-host-ready events with the scan result, in the statement that saves it", async () => {
    const id = await endpoint([], { events: ["drift", "verdict-changed", "host-ready"] });
    const rows = [
      {
        scanId: "s1",
        hostId,
        verdict: "platform-ready",
        bestPath: "pmem-dax",
        drift: [
          { field: "kernel", from: "6.1", to: "6.6" },
          { field: "verdict", from: "blocked", to: "platform-ready" },
        ],
      },
    ];
    await getPool().query(
      `with input as (select * from jsonb_to_recordset($1::jsonb)
        as i("scanId" text, "hostId" text, verdict text, "bestPath" text, drift jsonb)) ${SCAN_EVENTS_CTE}
      select 1`,
      [JSON.stringify(rows)],
    );
    const stored = await deliveries(id);
    expect(stored.map((d) => d.event).sort()).toEqual(["drift", "host-ready", "verdict-changed"]);
    const drift = stored.find((d) => d.event === "drift")!.payload as Record<string, unknown>;
    expect(drift).toMatchObject({ scanId: "s1", changes: [{ field: "kernel", from: "6.1", to: "6.6" }] });
    expect(new Date(String(drift.occurredAt)).toISOString()).toBe(drift.occurredAt);
    await startWorker();
    await waitFor(() => deliveries(id), settled);
    expect(receiver!.received.map((r) => r.headers["x-daxboard-event"]).sort()).toEqual([
      "drift",
      "host-ready",
      "verdict-changed",
    ]);
  });
});
