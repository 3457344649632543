import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as requestScan } from "@/app/api/hosts/[id]/scans/route";
import { closeDb, getDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { startScanWorkers, type ScanWorkers } from "@/lib/scan/worker";
import { call, resetDatabase, tokenFor } from "../support/api";
import { waitForScan } from "../support/scan-helpers";
import { SSHD_MISSING, sshdAvailable, startSshd, type Sshd } from "../support/sshd";

if (!sshdAvailable()) console.warn(`scan-openssh.test.ts ${SSHD_MISSING}`);

process.env.DAXBOARD_SCAN_RETRY_LIMIT = "0";

// The whole pipeline against a real OpenSSH sshd, with the real probe script running on this machine.
describe.skipIf(!sshdAvailable())("full pipeline against a real OpenSSH sshd", () => {
  let sshd: Sshd;
  let workers: ScanWorkers;
  let operator: string;
  let hostId: string;

  beforeAll(async () => {
    await resetDatabase();
    operator = await tokenFor("operator");
    sshd = await startSshd();
    workers = await startScanWorkers({ concurrency: 2, pollMs: 100, maintenanceMs: 60_000 });
  });

  afterAll(async () => {
    await workers?.stop();
    await stopBoss();
    await sshd?.stop();
    await closeDb();
  });

  async function scan() {
    const res = await call(requestScan, { params: { id: hostId }, token: operator, method: "POST" });
    expect(res.status).toBe(202);
    return waitForScan(res.json.scan.id, 30_000);
  }

  it("scans this machine over SSH: facts stored, x86_64 so the verdict is n/a, key pinned as ssh-keygen prints it", async () => {
    const created = await call(createHost, {
      body: {
        name: "this-machine",
        address: sshd.host,
        port: sshd.port,
        username: sshd.username,
        auth: { type: "key", privateKey: sshd.clientKey.privateKey },
      },
      token: operator,
    });
    expect(created.status).toBe(201);
    hostId = created.json.host.id;
    const done = await scan();
    expect(done.status, JSON.stringify(done.errorDetail)).toBe("succeeded");
    expect(done.rawOutput).toMatch(/^daxboard-probe 1 boundary=[A-Za-z0-9]+\n/);
    const report = done.assessment as {
      facts: { arch: string; kernelRelease: string; pageSize: number };
      verdict: string;
      parseWarnings: string[];
    };
    expect(report.facts.arch).toBe(process.arch === "x64" ? "x86_64" : report.facts.arch);
    expect(report.facts.kernelRelease).toMatch(/^\d+\.\d+/);
    expect(report.facts.pageSize).toBe(4096);
    expect(report.verdict).toBe("n/a");
    const host = await getDb().host.findUniqueOrThrow({ where: { id: hostId } });
    expect(host).toMatchObject({
      verdict: "n/a",
      hostKeyFingerprint: sshd.hostKeyFingerprint,
      hostKeyAlgorithm: sshd.hostKeyAlgorithm,
      stale: false,
    });
  });

  it("refuses a regenerated host key and keeps the earlier facts", async () => {
    const before = await getDb().host.findUniqueOrThrow({ where: { id: hostId } });
    const newFingerprint = await sshd.regenerateHostKey();
    const failed = await scan();
    expect(failed.status).toBe("failed");
    expect(failed.errorClass).toBe("host-key-mismatch");
    expect(failed.errorDetail).toMatchObject({
      expectedFingerprint: before.hostKeyFingerprint,
      presentedFingerprint: newFingerprint,
    });
    const after = await getDb().host.findUniqueOrThrow({ where: { id: hostId } });
    expect(after).toMatchObject({
      currentScanId: before.currentScanId,
      verdict: "n/a",
      stale: true,
      hostKeyFingerprint: before.hostKeyFingerprint,
      lastErrorClass: "host-key-mismatch",
    });
  });
});
