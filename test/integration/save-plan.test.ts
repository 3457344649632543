import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, getDb, getPool } from "@/lib/db";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness";
import { deriveFromProbe } from "@/lib/scan/derive";
import { SAVE_SQL, saveRows, type SuccessInput } from "@/lib/scan/scan-store";
import { resetDatabase } from "../support/api";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";

// The save statement unpacks its batch with jsonb_to_recordset, which PostgreSQL always takes for 100 rows. On a
// fleet of a few thousand hosts that made it hash-join sequential scans of the whole "Host" and "Scan" tables for
// every batch of a few scans (the scan bench's PostgreSQL profile). The statement must probe the keys instead.
const HOSTS = 3000;

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

beforeAll(async () => {
  await resetDatabase();
  // A fleet with one stored scan per host, made in SQL: only the table sizes matter to the planner.
  await getDb().$executeRawUnsafe(`
    insert into "Host" (id, name, address, port, username, "authMethod", "updatedAt")
    select 'h' || i, 'host-' || i, '10.0.' || (i / 250) || '.' || (i % 250), 22, 'u', 'agent', now()
    from generate_series(1, ${HOSTS}) i`);
  await getDb().$executeRawUnsafe(`
    insert into "Scan" (id, "hostId", status, "requestedBy", facts, assessment, "assessmentKey", verdict)
    select 's' || i, 'h' || i, 'succeeded', 'test', '{"x": 1}', '{"checks": []}', 'key', 'ready'
    from generate_series(1, ${HOSTS}) i`);
  await getDb().$executeRawUnsafe(`update "Host" set "currentScanId" = 's' || substr(id, 2)`);
  await getDb().$executeRawUnsafe(`analyze "Host", "Scan"`);
});
afterAll(async () => {
  await closeDb();
});

describe("the save statement's plan", () => {
  it("reads hosts and scans by key, not by scanning the tables, for a batch of a few scans", async () => {
    const profile = DEMO_FLEET.find((p) => !p.behaviour)!;
    const derived = deriveFromProbe(simulatedDocument(profile, "tok"), DEFAULT_GUEST_PROFILE, "tok");
    const batch: SuccessInput[] = [1, 2, 3, 4].map((i) => ({
      scanId: `new-${i}`,
      hostId: `h${i}`,
      previous: null,
      rawOutput: derived.rawOutput,
      derived,
    }));
    const { rows } = await getPool().query<{ "QUERY PLAN": { Plan: PlanNode }[] }>(
      `explain (format json) ${SAVE_SQL}`,
      saveRows(batch),
    );
    const plan = nodes(rows[0]!["QUERY PLAN"][0]!.Plan);
    // The plan is a real one: it updates both tables.
    expect(plan.filter((n) => n["Node Type"] === "ModifyTable").map((n) => n["Relation Name"])).toEqual(
      expect.arrayContaining(["Scan", "Host"]),
    );
    const seqScans = plan.filter((n) => n["Node Type"] === "Seq Scan").map((n) => n["Relation Name"]);
    expect(seqScans).not.toContain("Host");
    expect(seqScans).not.toContain("Scan");
  });
});
