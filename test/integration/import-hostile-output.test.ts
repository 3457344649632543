// Probe output PostgreSQL would refuse (NUL, lone UTF-16 surrogates) is cleaned, never a stuck scan; an import
// meets the one-active-scan rule with a 409; and scans left running by any source are reaped (issue 12 item 4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as importOutput } from "@/app/api/hosts/[id]/probe-output/route";
import { closeDb, getDb } from "@/lib/db";
import { getBoss, stopBoss } from "@/lib/scan/queue";
import { reapLostScans } from "@/lib/scan/reap-lost-scans";
import { recordFailure } from "@/lib/scan/record-outcome";
import { ScanError } from "@/lib/ssh/errors";
import { call, resetDatabase, tokenFor } from "../support/api";
import { captureDocument } from "../support/capture-document";

let operator: string;

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  // The reaper looks for live jobs in pg-boss's tables.
  await getBoss();
});
afterAll(async () => {
  await stopBoss();
  await closeDb();
});

let port = 30;
async function host(name: string): Promise<string> {
  const res = await call(createHost, {
    body: { name, address: "127.0.0.1", port: port++, username: "u", auth: { type: "agent" } },
    token: operator,
  });
  expect(res.status).toBe(201);
  return res.json.host.id;
}

const activeScans = (hostId: string) =>
  getDb().scan.count({ where: { hostId, status: { in: ["queued", "running"] } } });

// A hand-run capture with NUL bytes (a device-tree string read raw) and lone surrogates (only JSON can carry them).
function hostileDocument(): string {
  const extra =
    "--handrun1 kernel-release rc=0\n\u00006.8.0-64k\n--handrun1 user rc=0\nuid=1000(\ud800\udfff\udc00 \u0000\u0000ops)\n";
  return `${captureDocument("nvidia-grace-hrw-abridged", "handrun1").replace("--handrun1--", `${extra}--handrun1--`)}\ud83d`;
}

describe("POST /api/hosts/:id/probe-output with text PostgreSQL refuses", () => {
  it("stores the cleaned document (NUL removed, lone surrogates → U+FFFD), says so, and leaves nothing running", async () => {
    const id = await host("nul-import");
    const res = await call(importOutput, { params: { id }, token: operator, body: { output: hostileDocument() } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.scan).toMatchObject({ source: "imported", status: "succeeded" });
    const scan = await getDb().scan.findUniqueOrThrow({ where: { id: res.json.scan.id } });
    expect(scan.rawOutput).not.toContain("\u0000");
    expect(scan.rawOutput).toContain("\ud800\udfff\ufffd ");
    expect(scan.rawOutput!.endsWith("\ufffd")).toBe(true);
    expect(JSON.stringify(scan.assessment)).toMatch(/removed 3 NUL character\(s\), replaced 2 invalid UTF-16/);
    expect(scan.facts).toMatchObject({
      kernelRelease: { known: true, value: "6.8.0-64k" },
      user: { known: true, value: "uid=1000(\ud800\udfff\ufffd ops)" },
    });
    expect(await activeScans(id)).toBe(0);
    const stored = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ currentScanId: scan.id, lastScanStatus: "succeeded" });
  });

  it("still refuses text that is not a probe document with a 422, creating no scan", async () => {
    const id = await host("junk-import");
    const res = await call(importOutput, {
      params: { id },
      token: operator,
      body: { output: "\u0000\ud800 not a probe document" },
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: "parse_failed", field: "output" });
    expect(await getDb().scan.count({ where: { hostId: id } })).toBe(0);
  });
});

describe("one active scan per host", () => {
  it("an import while an SSH scan is queued or running is a 409, and the SSH scan is left alone", async () => {
    const id = await host("busy-import");
    for (const status of ["queued", "running"] as const) {
      const ssh = await getDb().scan.create({ data: { hostId: id, requestedBy: "test", status } });
      const res = await call(importOutput, {
        params: { id },
        token: operator,
        body: { output: captureDocument("nvidia-grace-hrw-abridged", "t") },
      });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe("scan_active");
      expect(res.json.error.message).toMatch(/queued or running/);
      expect(await getDb().scan.count({ where: { hostId: id } })).toBe(status === "queued" ? 1 : 2);
      expect((await getDb().scan.findUniqueOrThrow({ where: { id: ssh.id } })).status).toBe(status);
      await getDb().scan.update({ where: { id: ssh.id }, data: { status: "failed" } });
    }
    const ok = await call(importOutput, {
      params: { id },
      token: operator,
      body: { output: captureDocument("nvidia-grace-hrw-abridged", "t") },
    });
    expect(ok.status).toBe(201);
  });
});

describe("lost scans of every source", () => {
  it("an imported scan left running past its deadline is failed, and the host takes a new import", async () => {
    const id = await host("lost-import");
    const stuck = await getDb().scan.create({
      data: {
        hostId: id,
        source: "imported",
        status: "running",
        requestedBy: "test",
        createdAt: new Date(Date.now() - 10 * 60_000),
      },
    });
    const fresh = await host("fresh-import");
    // Within the grace period an import may still be storing: left alone.
    const inFlight = await getDb().scan.create({
      data: { hostId: fresh, source: "imported", status: "running", requestedBy: "test" },
    });
    expect(await reapLostScans()).toBeGreaterThanOrEqual(1);
    const ended = await getDb().scan.findUniqueOrThrow({ where: { id: stuck.id } });
    expect(ended).toMatchObject({ status: "failed", errorClass: "timeout" });
    expect(ended.errorMessage).toMatch(/import of this document stopped/);
    expect((await getDb().host.findUniqueOrThrow({ where: { id } })).lastScanStatus).toBe("failed");
    expect((await getDb().scan.findUniqueOrThrow({ where: { id: inFlight.id } })).status).toBe("running");
    const again = await call(importOutput, {
      params: { id },
      token: operator,
      body: { output: captureDocument("nvidia-grace-hrw-abridged", "t") },
    });
    expect(again.status).toBe(201);
  });
});

describe("failure records", () => {
  it("a failure whose message and stderr hold NUL and lone surrogates is stored, so the scan still ends", async () => {
    const id = await host("nul-stderr");
    const scan = await getDb().scan.create({ data: { hostId: id, requestedBy: "test", status: "running" } });
    await recordFailure(
      scan.id,
      id,
      new ScanError("probe-failed", "probe exited 1: bad\u0000byte", {
        stderrTail: "sh: \u0000\udc00 not found",
        exitCode: 1,
      }),
    );
    const ended = await getDb().scan.findUniqueOrThrow({ where: { id: scan.id } });
    expect(ended.status).toBe("failed");
    expect(ended.errorMessage).toBe("probe exited 1: badbyte");
    expect(ended.errorDetail).toMatchObject({ stderrTail: "sh: \ufffd not found", exitCode: 1 });
  });
});
