import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as bulkScan } from "@/app/api/scans/route";
import { POST as createWebhook } from "@/app/api/webhooks/route";
import { POST as sendTest } from "@/app/api/webhooks/[id]/test/route";
import { closeDb, getDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { call, resetDatabase, tokenFor } from "../support/api";

// Work stored in one process wakes the workers of every process (lib/wake-signal.ts). A bulk request queues its
// jobs in chunks of 1,000 (lib/scan/request-scan.ts) and wakes the scan workers after each chunk commits, so a
// 10,000-host request starts scanning with its first chunk instead of after its last; a webhook delivery wakes
// the delivery workers. No worker runs here: a LISTEN connection of the test's own counts the wake-ups.
const HOSTS = 2_500;

let operator: string;
let admin: string;
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const wakeUps: string[] = [];

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  admin = await tokenFor("admin");
  await getDb().$executeRawUnsafe(`
    insert into "Host" (id, name, address, port, username, "authMethod", tags, "updatedAt")
    select 'h' || i, 'host-' || i, '10.1.' || (i / 250) || '.' || (i % 250), 22, 'u', 'agent', '{wake}', now()
    from generate_series(1, ${HOSTS}) i`);
  await listener.connect();
  listener.on("notification", (msg) => wakeUps.push(msg.channel));
  await listener.query(`listen "daxboard_scans"`);
  await listener.query(`listen "daxboard_webhooks"`);
});
afterAll(async () => {
  await listener.end();
  await stopBoss();
  await closeDb();
});

// Notifications arrive asynchronously after each commit.
async function wakeUpsOf(channel: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  const of = () => wakeUps.filter((c) => c === channel);
  while (of().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return of();
}

describe("bulk scan requests", () => {
  it("wake the scan workers once per chunk of queued jobs", async () => {
    const res = await call(bulkScan, { body: { filter: { tag: "wake" } }, token: operator });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ requested: HOSTS, created: HOSTS });
    expect(await getDb().scan.count({ where: { status: "queued" } })).toBe(HOSTS);
    expect(await wakeUpsOf("daxboard_scans", 3)).toHaveLength(3);
  });
});

describe("webhook deliveries", () => {
  it("wake the delivery workers of every process when one is stored", async () => {
    await getDb().$executeRawUnsafe(`truncate table "Webhook" cascade`);
    const body = { name: "chat", url: "https://hooks.example.com/T1/B2", events: ["drift"] };
    const created = await call(createWebhook, { token: admin, body });
    expect(created.status).toBe(201);
    const tested = await call(sendTest, { token: admin, method: "POST", params: { id: created.json.webhook.id } });
    expect(tested.status).toBeLessThan(300);
    expect(await wakeUpsOf("daxboard_webhooks", 1)).toHaveLength(1);
  });
});
