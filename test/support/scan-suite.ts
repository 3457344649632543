import { afterAll, beforeAll } from "vitest";
import { closeDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { resetDatabase, tokenFor } from "./api";
import type { SimHost } from "./sim-fleet";

// What scan test files that drive the API and simulated hosts share: before the file, a clean database and an
// operator API token; after it, the queue client stopped, every simulated host the file pushed onto `sims`
// closed, and the database client closed.
export function scanSuite(): { operator: string; sims: SimHost[] } {
  const suite = { operator: "", sims: [] as SimHost[] };
  beforeAll(async () => {
    await resetDatabase();
    suite.operator = await tokenFor("operator");
  });
  afterAll(async () => {
    await stopBoss();
    await Promise.all(suite.sims.map((s) => s.close()));
    await closeDb();
  });
  return suite;
}
