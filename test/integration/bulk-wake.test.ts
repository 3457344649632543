import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as bulkScan } from "@/app/api/scans/route";
import { closeDb, getDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { call, resetDatabase, tokenFor } from "../support/api";

// A bulk request queues its jobs in chunks of 1,000 (lib/scan/request-scan.ts) and wakes the workers of every
// process after each chunk commits, so a 10,000-host request starts scanning with its first chunk instead of
// after its last. No worker runs here: a LISTEN connection of the test's own counts the wake-ups.
const HOSTS = 2_500;

let operator: string;
const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
const wakeUps: string[] = [];

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  await getDb().$executeRawUnsafe(`
    insert into "Host" (id, name, address, port, username, "authMethod", tags, "updatedAt")
    select 'h' || i, 'host-' || i, '10.1.' || (i / 250) || '.' || (i % 250), 22, 'u', 'agent', '{wake}', now()
    from generate_series(1, ${HOSTS}) i`);
  await listener.connect();
  listener.on("notification", (msg) => wakeUps.push(msg.channel));
  await listener.query(`listen "daxboard_scans"`);
});
afterAll(async () => {
  await listener.end();
  await stopBoss();
  await closeDb();
});

describe("bulk scan requests", () => {
  it("wake the workers once per chunk of queued jobs", async () => {
    const res = await call(bulkScan, { body: { filter: { tag: "wake" } }, token: operator });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ requested: HOSTS, created: HOSTS });
    expect(await getDb().scan.count({ where: { status: "queued" } })).toBe(HOSTS);
    // Notifications arrive asynchronously after each commit.
    const deadline = Date.now() + 10_000;
    while (wakeUps.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(wakeUps).toEqual(["daxboard_scans", "daxboard_scans", "daxboard_scans"]);
  });
});
