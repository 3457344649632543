// A probe-output import whose result cannot be stored ends its scan as failed: a scan left running would hold the
// host's one active-scan slot and block every rescan for ever (issue 12 item 4).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as importOutput } from "@/app/api/hosts/[id]/probe-output/route";
import { closeDb, getDb } from "@/lib/db";
import { call, resetDatabase, tokenFor } from "../support/api";
import { captureDocument } from "../support/capture-document";

// The one write this test makes fail: everything else (the scan row, the failure record) is real PostgreSQL.
const saveFailure = vi.hoisted(() => ({ next: null as Error | null }));
vi.mock("@/lib/scan/scan-store", async (importOriginal) => {
  const original = await importOriginal<typeof import("@/lib/scan/scan-store")>();
  return {
    ...original,
    saveSuccess: async (...args: Parameters<typeof original.saveSuccess>) => {
      const err = saveFailure.next;
      saveFailure.next = null;
      if (err) throw err;
      return original.saveSuccess(...args);
    },
  };
});

let operator: string;

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
});
afterAll(closeDb);

describe("an import that cannot be stored", () => {
  it("answers with a plain error, ends its scan as failed, and the host takes the next import", async () => {
    const created = await call(createHost, {
      body: { name: "save-fails", address: "127.0.0.1", port: 40, username: "u", auth: { type: "agent" } },
      token: operator,
    });
    const id = created.json.host.id as string;
    const output = captureDocument("nvidia-grace-hrw-abridged", "t");

    saveFailure.next = new Error('invalid input syntax for type json: "\\u0000" at /some/internal/path.ts:12');
    const res = await call(importOutput, { params: { id }, token: operator, body: { output } });
    expect(res.status).toBe(500);
    expect(res.json.error).toEqual({ code: "import_failed", message: expect.stringMatching(/could not be stored/) });
    expect(res.text).not.toMatch(/internal\/path/);

    const scans = await getDb().scan.findMany({ where: { hostId: id } });
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ source: "imported", status: "failed", errorClass: "probe-failed" });
    expect(await getDb().host.findUniqueOrThrow({ where: { id } })).toMatchObject({
      lastScanStatus: "failed",
      currentScanId: null,
    });

    const again = await call(importOutput, { params: { id }, token: operator, body: { output } });
    expect(again.status).toBe(201);
    expect(again.json.scan.status).toBe("succeeded");
  });
});
