import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listAudit } from "@/app/api/audit/route";
import { GET as exportAudit } from "@/app/api/audit/export/route";
import { closeDb, getDb } from "@/lib/db";
import { call, resetDatabase, tokenFor } from "../support/api";

let admin: string;
let operator: string;
let viewer: string;

type Event = {
  id: string;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  hostId: string | null;
  hostName: string | null;
  detail: unknown;
};

const T0 = Date.parse("2026-03-01T00:00:00.000Z");
const minutes = (n: number) => new Date(T0 + n * 60_000);

// A known log: who did what, when, to which host. Ids are set so ties on `at` have a known order.
const SEEDED = [
  {
    id: "ev-01",
    at: minutes(0),
    actorType: "user",
    actorId: "u-ada",
    actorLabel: "ada@example.com",
    action: "user.login",
  },
  {
    id: "ev-02",
    at: minutes(1),
    actorType: "user",
    actorId: null,
    actorLabel: "mallory@example.com",
    action: "user.login-failed",
    detail: { reason: "bad-password" },
  },
  {
    id: "ev-03",
    at: minutes(2),
    actorType: "user",
    actorId: "u-ada",
    actorLabel: "ada@example.com",
    action: "host.update",
    hostId: "h-web1",
    hostName: "web-01",
    targetType: "host",
    targetId: "h-web1",
    detail: { changes: { address: { old: "10.0.0.1", new: "10.0.0.9" } } },
  },
  {
    id: "ev-04",
    at: minutes(3),
    actorType: "token",
    actorId: "t-ci",
    actorLabel: "token:ci",
    action: "scan.request",
    hostId: "h-web1",
    hostName: "web-01",
    targetType: "scan",
    targetId: "s-1",
  },
  {
    id: "ev-05",
    at: minutes(3),
    actorType: "token",
    actorId: "t-ci",
    actorLabel: "token:ci",
    action: "scan.request",
    hostId: "h-db1",
    hostName: "db-01",
    targetType: "scan",
    targetId: "s-2",
  },
  {
    id: "ev-06",
    at: minutes(4),
    actorType: "user",
    actorId: "u-bob",
    actorLabel: "bob@example.com",
    action: "host.retrust-key",
    hostId: "h-db1",
    hostName: "db-01",
  },
  {
    id: "ev-07",
    at: minutes(5),
    actorType: "system",
    actorId: null,
    actorLabel: "system:schedule",
    action: "scan.bulk-request",
    detail: { filter: { tag: "rack3" }, hosts: 20000, created: 19998 },
  },
  {
    id: "ev-08",
    at: minutes(6),
    actorType: "user",
    actorId: "u-ada",
    actorLabel: "ada@example.com",
    action: "settings.update",
    detail: { note: '=HYPERLINK("http://evil")' },
  },
  {
    id: "ev-09",
    at: minutes(7),
    actorType: "user",
    actorId: "u-bob",
    actorLabel: "=cmd|'/C calc'!A0",
    action: "user.logout",
  },
];

async function get(query: string, token = admin) {
  return call(listAudit, { path: `/api/audit${query}`, token });
}

const ids = (res: { json: Record<string, any> }) => (res.json.events as Event[]).map((e) => e.id);

beforeAll(async () => {
  await resetDatabase();
  admin = await tokenFor("admin", "auditor");
  operator = await tokenFor("operator");
  viewer = await tokenFor("viewer");
  await getDb().auditEvent.createMany({ data: SEEDED });
});
afterAll(closeDb);

describe("GET /api/audit", () => {
  it("is for admins only", async () => {
    expect((await get("", viewer)).status).toBe(403);
    expect((await get("", operator)).status).toBe(403);
    expect((await call(listAudit, { path: "/api/audit" })).status).toBe(401);
    expect((await call(exportAudit, { path: "/api/audit/export", token: viewer })).status).toBe(403);
    expect((await call(exportAudit, { path: "/api/audit/export", token: operator })).status).toBe(403);
  });

  it("lists newest first, ties on the same instant by id, with every field an admin needs", async () => {
    const res = await get("");
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual(["ev-09", "ev-08", "ev-07", "ev-06", "ev-05", "ev-04", "ev-03", "ev-02", "ev-01"]);
    expect(res.json.nextCursor).toBeNull();
    const update = (res.json.events as Event[]).find((e) => e.id === "ev-03")!;
    expect(update).toMatchObject({
      at: "2026-03-01T00:02:00.000Z",
      actorLabel: "ada@example.com",
      action: "host.update",
      hostName: "web-01",
      detail: { changes: { address: { old: "10.0.0.1", new: "10.0.0.9" } } },
    });
  });

  it("pages with a keyset cursor: every event once, in order, across a tie at a page boundary", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.json.events.length).toBeLessThanOrEqual(4);
      seen.push(...ids(res));
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(["ev-09", "ev-08", "ev-07", "ev-06", "ev-05", "ev-04", "ev-03", "ev-02", "ev-01"]);
    // ev-05 and ev-04 share an instant and straddle the boundary of limit=5.
    const first = await get("?limit=5");
    expect(ids(first).at(-1)).toBe("ev-05");
    expect(ids(await get(`?limit=5&cursor=${first.json.nextCursor}`))[0]).toBe("ev-04");
  });

  it("keeps a page stable while new events arrive", async () => {
    await getDb().auditEvent.create({
      data: { id: "ev-10", at: minutes(8), actorType: "user", actorLabel: "ada@example.com", action: "user.logout" },
    });
    const page1 = await get("?limit=2");
    expect(ids(page1)).toEqual(["ev-10", "ev-09"]);
    await getDb().auditEvent.create({
      data: { id: "ev-11", at: minutes(9), actorType: "user", actorLabel: "ada@example.com", action: "user.login" },
    });
    expect(ids(await get(`?limit=2&cursor=${page1.json.nextCursor}`))).toEqual(["ev-08", "ev-07"]);
    await getDb().auditEvent.deleteMany({ where: { id: { in: ["ev-10", "ev-11"] } } });
  });

  it("filters by action: exact, or a prefix ending in '.' or '*'", async () => {
    expect(ids(await get("?action=user.login"))).toEqual(["ev-01"]);
    expect(ids(await get("?action=user.login*"))).toEqual(["ev-02", "ev-01"]);
    expect(ids(await get("?action=host."))).toEqual(["ev-06", "ev-03"]);
    expect(ids(await get("?action=scan.bulk-request"))).toEqual(["ev-07"]);
    expect(ids(await get("?action=nothing.like.this"))).toEqual([]);
  });

  it("filters by actor id or part of its label, case-insensitively", async () => {
    expect(ids(await get("?actor=u-bob"))).toEqual(["ev-09", "ev-06"]);
    expect(ids(await get("?actor=ADA@"))).toEqual(["ev-08", "ev-03", "ev-01"]);
    expect(ids(await get("?actor=token:ci"))).toEqual(["ev-05", "ev-04"]);
    expect(ids(await get("?actor=mallory"))).toEqual(["ev-02"]);
  });

  it("filters by host id or part of its name, and by time range (from inclusive, to exclusive)", async () => {
    expect(ids(await get("?host=h-db1"))).toEqual(["ev-06", "ev-05"]);
    expect(ids(await get("?host=WEB"))).toEqual(["ev-04", "ev-03"]);
    const from = encodeURIComponent(minutes(3).toISOString());
    const to = encodeURIComponent(minutes(5).toISOString());
    expect(ids(await get(`?from=${from}&to=${to}`))).toEqual(["ev-06", "ev-05", "ev-04"]);
    expect(ids(await get(`?from=2026-03-01T00:03:00%2B00:00&actor=t-ci&host=db`))).toEqual(["ev-05"]);
    expect(ids(await get("?to=2026-03-01"))).toEqual([]);
    expect(ids(await get("?from=2026-03-02"))).toEqual([]);
    // Empty fields of the page's form mean no filter.
    expect(ids(await get("?actor=&action=&host=&from=&to="))).toHaveLength(9);
  });

  it("refuses bad input with the field named", async () => {
    const cases: [string, string][] = [
      ["?limit=501", "limit"],
      ["?limit=0", "limit"],
      ["?from=yesterday", "from"],
      ["?to=2026-03-01T10:00", "to"],
      ["?cursor=bm90IGEgY3Vyc29y", "cursor"],
    ];
    for (const [query, field] of cases) {
      const res = await get(query);
      expect(res.status, query).toBe(422);
      expect(res.json.error.field, query).toBe(field);
    }
    expect((await get("?limit=500")).status).toBe(200);
  });
});

describe("GET /api/audit/export", () => {
  it("streams the filtered log as CSV, neutralizing formulas, and records the export", async () => {
    const res = await call(exportAudit, { path: "/api/audit/export?format=csv&action=user.", token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="daxboard-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = parse(res.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.action)).toEqual(["user.logout", "user.login-failed", "user.login"]);
    expect(rows[0]).toMatchObject({ at: "2026-03-01T00:07:00.000Z", actor_id: "u-bob", actor: "'=cmd|'/C calc'!A0" });

    const all = parse((await call(exportAudit, { path: "/api/audit/export?action=settings.", token: admin })).text, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(all).toHaveLength(1);
    expect(JSON.parse(all[0]!.detail!)).toEqual({ note: '=HYPERLINK("http://evil")' });

    const recorded = await getDb().auditEvent.findMany({ where: { action: "audit.export" }, orderBy: { at: "asc" } });
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({
      actorType: "token",
      actorLabel: "token:auditor",
      detail: { format: "csv", filter: { action: "user." } },
    });
    await getDb().auditEvent.deleteMany({ where: { action: "audit.export" } });
  });

  it("streams JSON, and every event of a log longer than one batch exactly once", async () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({
      id: `bulk-${String(i).padStart(4, "0")}`,
      // Four events per instant: ties fall on batch boundaries too.
      at: new Date(T0 - 86_400_000 + Math.floor(i / 4) * 1000),
      actorType: "user",
      actorLabel: "loader@example.com",
      action: "host.register",
    }));
    await getDb().auditEvent.createMany({ data: many });
    const res = await call(exportAudit, { path: "/api/audit/export?format=json&actor=loader", token: admin });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const body = JSON.parse(res.text) as { filter: Record<string, string>; events: Event[] };
    expect(body.filter).toEqual({ actor: "loader" });
    expect(body.events).toHaveLength(2500);
    expect(new Set(body.events.map((e) => e.id)).size).toBe(2500);
    const expected = [...many]
      .sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1))
      .map((e) => e.id);
    expect(body.events.map((e) => e.id)).toEqual(expected);
    expect(
      await getDb().auditEvent.count({
        where: { action: "audit.export", detail: { path: ["format"], equals: "json" } },
      }),
    ).toBe(1);
    await getDb().auditEvent.deleteMany({ where: { actorLabel: "loader@example.com" } });
  });

  it("refuses an unknown format", async () => {
    const res = await call(exportAudit, { path: "/api/audit/export?format=xml", token: admin });
    expect(res.status).toBe(422);
    expect(res.json.error.field).toBe("format");
  });
});
