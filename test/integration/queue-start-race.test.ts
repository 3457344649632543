import PgBoss from "pg-boss";
import { afterAll, describe, expect, it } from "vitest";
import { createTemporaryDatabase, type TemporaryDatabase } from "../../lib/db/temp-database";
import { ensureQueues, REASSESS_QUEUE, SCAN_QUEUE } from "../../lib/scan/queue";

// The app and `npm run worker` processes start together on a fresh database and each create the queues. pg-boss's
// create_queue attaches a partition, and concurrent calls deadlocked ("deadlock detected" killed a worker at start).
const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databases: TemporaryDatabase[] = [];

afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe("queue creation", () => {
  it("lets several processes' pg-boss instances create the queues at once, on fresh databases", async () => {
    for (let round = 0; round < 3; round++) {
      const db = await createTemporaryDatabase(serverUrl, "daxboard_queue_race");
      databases.push(db);
      const bosses = Array.from({ length: 4 }, () => new PgBoss({ connectionString: db.url, max: 4 }));
      try {
        for (const boss of bosses) boss.on("error", () => undefined);
        await Promise.all(bosses.map((boss) => boss.start()));
        const outcomes = await Promise.allSettled(bosses.map((boss) => ensureQueues(boss, db.url)));
        const errors = outcomes.flatMap((o) => (o.status === "rejected" ? [String(o.reason)] : []));
        expect(errors, `round ${round}`).toEqual([]);
        const names = (await bosses[0].getQueues()).map((q) => q.name);
        expect(names).toEqual(expect.arrayContaining([SCAN_QUEUE, REASSESS_QUEUE]));
      } finally {
        await Promise.all(bosses.map((boss) => boss.stop({ graceful: false, wait: true }).catch(() => undefined)));
      }
    }
  });
});
