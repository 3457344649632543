// An SSH scan whose output holds NUL bytes succeeds with the cleaned output stored (issue 12 item 4): PostgreSQL
// refuses NUL in text and jsonb, so the raw output must be cleaned before it is stored, as the facts are.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as requestScan } from "@/app/api/hosts/[id]/scans/route";
import { closeDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { startScanWorkers, type ScanWorkers } from "@/lib/scan/worker";
import { call, resetDatabase, tokenFor } from "../support/api";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { generateKeyPair, startSimHost, type SimHost } from "../support/sim-fleet";
import { waitForScan } from "../support/scan-helpers";

process.env.DAXBOARD_SCAN_RETRY_LIMIT = "0";

let operator: string;
let workers: ScanWorkers;
let sim: SimHost;
const client = generateKeyPair();
const profile = DEMO_FLEET.find((p) => p.name === "altra-max-02")!;

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  // A device-tree string read raw, and stray NULs anywhere in a body.
  sim = await startSimHost({
    respond: (token) =>
      simulatedDocument(profile, token).replace(
        `--${token}--`,
        `--${token} dt-model rc=0\nBoard\u0000\n--${token}--\u0000`,
      ),
    authorizedKeys: [client.publicKey],
  });
  workers = await startScanWorkers({ concurrency: 2, pollMs: 100, maintenanceMs: 60_000 });
});
afterAll(async () => {
  await workers.stop();
  await stopBoss();
  await sim.close();
  await closeDb();
});

describe("scan output with NUL bytes", () => {
  it("is stored cleaned and the scan succeeds", async () => {
    const res = await call(createHost, {
      body: {
        name: "nul-host",
        address: sim.host,
        port: sim.port,
        username: sim.username,
        auth: { type: "key", privateKey: client.privateKey },
      },
      token: operator,
    });
    const id = res.json.host.id as string;
    const queued = await call(requestScan, { params: { id }, token: operator, method: "POST" });
    const scan = await waitForScan(queued.json.scan.id);
    expect(scan.status, `${scan.errorClass}: ${scan.errorMessage}`).toBe("succeeded");
    expect(scan.rawOutput).not.toContain("\u0000");
    expect(scan.rawOutput).toContain("Board\n");
    expect(JSON.stringify(scan.assessment)).toMatch(/removed 2 NUL character/);
  });
});
