// Host ranges that multiply stop at the import row limit with a clear 422 naming the line and the pattern, through
// the real routes, before anything is built or written (issue 12 item 4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as importHosts } from "@/app/api/hosts/import/route";
import { POST as previewImport } from "@/app/api/hosts/import/preview/route";
import { closeDb, getDb } from "@/lib/db";
import { call, resetDatabase, tokenFor } from "../support/api";

let operator: string;

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
});
afterAll(closeDb);

describe("inventories that name too many hosts", () => {
  it.each([
    [
      "ansible-ini",
      "[web]\nok.example.com\nweb[0:999][0:99].example.com\n",
      3,
      "web[0:999][0:99].example.com",
      "100,000",
    ],
    ["ansible-ini", "[web]\nh[0:99999][0:99999]\n", 2, "h[0:99999][0:99999]", "10,000,000,000"],
    ["ansible-yaml", 'all:\n  hosts:\n    "h[0:99999][0:99999]":\n', 3, "h[0:99999][0:99999]", "10,000,000,000"],
  ])("%s: %j is refused with its line and pattern", async (format, text, line, pattern, count) => {
    const started = Date.now();
    for (const [route, body] of [
      [previewImport, { format, text, defaults: { username: "ops" } }],
      [importHosts, { format, text, defaults: { username: "ops" }, auth: { type: "agent" } }],
    ] as const) {
      const res = await call(route, { body, token: operator });
      expect(res.status).toBe(422);
      expect(res.json.error).toMatchObject({ code: "invalid_document", field: "text" });
      expect(res.json.error.message).toBe(
        `The ${format} document cannot be read: line ${line}: "${pattern}" names ${count} hosts; import at most 10000 at a time.`,
      );
    }
    // Refused before a single name is built: far below what building 10^5 names, let alone 10^10, would take.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await getDb().host.count()).toBe(0);
  });

  it("the same hosts repeated across groups count against one budget", async () => {
    const text = Array.from({ length: 5 }, (_, i) => `[g${i}]\nh[0000:9999]`).join("\n");
    const res = await call(previewImport, {
      body: { format: "ansible-ini", text, defaults: { username: "ops" } },
      token: operator,
    });
    expect(res.status).toBe(422);
    expect(res.json.error.message).toMatch(
      /line 10: the inventory lists hosts more than 40000 times by "h\[0000:9999\]"/,
    );
  });
});
