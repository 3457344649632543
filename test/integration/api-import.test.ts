import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { POST as importHosts } from "@/app/api/hosts/import/route";
import { POST as previewImport } from "@/app/api/hosts/import/preview/route";
import { closeDb, getDb } from "@/lib/db";
import { loadCredential } from "@/lib/hosts/credentials";
import { call, resetDatabase, tokenFor } from "../support/api";

let operator: string;
let viewer: string;

const CSV = [
  "name,address,port,user,tags",
  "altra-01,10.2.0.1,22,ops,rack1;altra",
  "altra-02,10.2.0.2,,ops,rack1 altra",
  "bad-addr,10.2.0.3;reboot,22,ops,",
  "bad-port,10.2.0.4,70000,ops,",
  "no-user,10.2.0.5,22,,",
  "altra-01,10.2.0.9,22,ops,dup",
  'bad-tag,10.2.0.6,22,ops,"a,b"',
].join("\n");

const YAML = `all:
  vars:
    ansible_user: ops
  children:
    grace:
      hosts:
        grace-1: { ansible_host: 10.3.0.1 }
        grace-2: { ansible_host: 10.3.0.2, ansible_port: 2222 }
`;

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  viewer = await tokenFor("viewer");
});
afterAll(closeDb);

describe("POST /api/hosts/import/preview", () => {
  it("shows every row valid or invalid with its reason and field, and writes nothing", async () => {
    const res = await call(previewImport, { body: { format: "csv", text: CSV }, token: operator });
    expect(res.status).toBe(200);
    const rows = res.json.rows as Array<Record<string, any>>;
    expect(rows.map((r) => [r.line, r.name, r.valid, r.field ?? null])).toEqual([
      [2, "altra-01", true, null],
      [3, "altra-02", true, null],
      [4, "bad-addr", false, "address"],
      [5, "bad-port", false, "port"],
      [6, "no-user", false, "username"],
      [7, "altra-01", false, "name"],
      [8, "bad-tag", false, "tags.0"],
    ]);
    expect(rows[1]).toMatchObject({
      address: "10.2.0.2",
      port: 22,
      username: "ops",
      tags: ["rack1", "altra"],
      action: "create",
    });
    expect(rows[2].error).toMatch(/shell metacharacters/);
    expect(rows[5].error).toMatch(/already on line 2/);
    expect(res.json.counts).toEqual({ total: 7, valid: 2, invalid: 5, create: 2, update: 0 });
    expect(await getDb().host.count()).toBe(0);
  });

  it("applies defaults for user and port", async () => {
    const res = await call(previewImport, {
      body: { format: "csv", text: "name,address\nd1,10.2.1.1\n", defaults: { username: "deploy", port: 2200 } },
      token: operator,
    });
    expect(res.json.rows[0]).toMatchObject({ valid: true, username: "deploy", port: 2200 });
  });

  it("refuses an unreadable document with 422 naming the line", async () => {
    const res = await call(previewImport, {
      body: { format: "ansible-yaml", text: "all:\n  hosts:\n    - a\n" },
      token: operator,
    });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: "invalid_document", field: "text" });
    expect(res.json.error.message).toMatch(/line 3/);
    const badFormat = await call(previewImport, { body: { format: "xlsx", text: "x" }, token: operator });
    expect(badFormat.status).toBe(422);
    expect(badFormat.json.error.field).toBe("format");
  });

  it("needs the operator role", async () => {
    expect((await call(previewImport, { body: { format: "csv", text: CSV }, token: viewer })).status).toBe(403);
  });
});

describe("POST /api/hosts/import", () => {
  it("imports the valid rows in one go, returns the invalid ones, audits each host", async () => {
    const res = await call(importHosts, {
      body: { format: "csv", text: CSV, auth: { type: "password", password: "pw-123456" } },
      token: operator,
    });
    expect(res.status).toBe(200);
    expect(res.json.created).toBe(2);
    expect(res.json.updated).toBe(0);
    expect(res.json.invalid.map((r: { name: string }) => r.name)).toEqual([
      "bad-addr",
      "bad-port",
      "no-user",
      "altra-01",
      "bad-tag",
    ]);
    expect(res.text).not.toContain("pw-123456");
    const hosts = await getDb().host.findMany({
      orderBy: { name: "asc" },
      select: { name: true, tags: true, credentialId: true, authMethod: true },
    });
    expect(hosts.map((h) => h.name)).toEqual(["altra-01", "altra-02"]);
    expect(hosts[0]).toMatchObject({ tags: ["rack1", "altra"], authMethod: "password" });
    // a credential per host, as registration does
    expect(hosts[0].credentialId).not.toBe(hosts[1].credentialId);
    expect(await loadCredential(hosts[0].credentialId!)).toEqual({ password: "pw-123456" });
    const audit = await getDb().auditEvent.findMany({ where: { action: "host.register" } });
    expect(audit).toHaveLength(2);
    expect(audit[0].detail).toMatchObject({ via: "import", format: "csv" });
  });

  it("re-importing updates rather than duplicates: by name, else by address:port", async () => {
    const again = "name,address,port,user,tags\naltra-01,10.2.0.11,22,admin,moved\nrenamed-02,10.2.0.2,22,ops,\n";
    const preview = await call(previewImport, { body: { format: "csv", text: again }, token: operator });
    expect(preview.json.rows.map((r: { action: string }) => r.action)).toEqual(["update", "update"]);
    // altra-01 moves to a new address: that decides where its stored password goes, so an operator may not.
    const refused = await call(importHosts, {
      body: { format: "csv", text: again, auth: { type: "agent" } },
      token: operator,
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(
      /move 1 existing host\(s\) to a new address or port: altra-01 \(line 2\)/,
    );
    expect((await getDb().host.findUniqueOrThrow({ where: { name: "altra-01" } })).address).not.toBe("10.2.0.11");
    const res = await call(importHosts, {
      body: { format: "csv", text: again, auth: { type: "agent" } },
      token: await tokenFor("admin"),
    });
    expect(res.json).toMatchObject({ created: 0, updated: 2, invalid: [] });
    const moved = await getDb().host.findUniqueOrThrow({ where: { name: "altra-01" } });
    expect(moved.credentialReviewRequired).toBe(true);
    const movedAudit = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "host.update", hostId: moved.id },
    });
    expect(movedAudit.detail).toMatchObject({
      via: "import",
      changes: { address: { new: "10.2.0.11" }, credentialReviewRequired: { old: false, new: true } },
    });
    expect((await getDb().host.findUniqueOrThrow({ where: { name: "renamed-02" } })).credentialReviewRequired).toBe(
      false,
    );
    const hosts = await getDb().host.findMany({
      orderBy: { name: "asc" },
      select: { name: true, address: true, username: true, tags: true, authMethod: true },
    });
    expect(hosts).toEqual([
      { name: "altra-01", address: "10.2.0.11", username: "admin", tags: ["moved"], authMethod: "password" },
      { name: "renamed-02", address: "10.2.0.2", username: "ops", tags: [], authMethod: "password" },
    ]);
    expect(await getDb().auditEvent.count({ where: { action: "host.update" } })).toBe(2);
  });

  it("refuses a row whose name and address:port belong to two different hosts", async () => {
    const res = await call(previewImport, {
      body: { format: "csv", text: "name,address,user\naltra-01,10.2.0.2,ops\n" },
      token: operator,
    });
    expect(res.json.rows[0]).toMatchObject({ valid: false, field: "address", action: "update" });
    expect(res.json.rows[0].error).toMatch(/belongs to host "renamed-02"/);
  });

  it("imports an Ansible YAML inventory with groups as tags, and an INI one", async () => {
    const yaml = await call(importHosts, {
      body: { format: "ansible-yaml", text: YAML, auth: { type: "agent" } },
      token: operator,
    });
    expect(yaml.json).toMatchObject({ created: 2, updated: 0, invalid: [] });
    const g2 = await getDb().host.findUniqueOrThrow({ where: { name: "grace-2" } });
    expect(g2).toMatchObject({ address: "10.3.0.2", port: 2222, username: "ops", tags: ["grace"] });
    const ini =
      "[arm]\ngrace-2 ansible_host=10.3.0.2 ansible_port=2222\nnew-ini ansible_host=10.4.0.1\n[arm:vars]\nansible_user=ops\n";
    const res = await call(importHosts, {
      body: { format: "ansible-ini", text: ini, auth: { type: "agent" } },
      token: operator,
    });
    expect(res.json).toMatchObject({ created: 1, updated: 1 });
    expect((await getDb().host.findUniqueOrThrow({ where: { name: "grace-2" } })).tags).toEqual(["arm"]);
  });

  it("never duplicates a host registered by hand", async () => {
    await call(createHost, {
      body: { name: "hand-made", address: "10.5.0.1", username: "ops", auth: { type: "agent" } },
      token: operator,
    });
    const before = await getDb().host.count();
    const res = await call(importHosts, {
      body: { format: "csv", text: "name,address,user\nhand-made,10.5.0.1,ops\n", auth: { type: "agent" } },
      token: operator,
    });
    expect(res.json.updated).toBe(1);
    expect(await getDb().host.count()).toBe(before);
  });

  it("requires auth in the body and the operator role", async () => {
    const noAuth = await call(importHosts, { body: { format: "csv", text: CSV }, token: operator });
    expect(noAuth.status).toBe(422);
    expect(noAuth.json.error.field).toBe("auth");
    expect(
      (await call(importHosts, { body: { format: "csv", text: CSV, auth: { type: "agent" } }, token: viewer })).status,
    ).toBe(403);
  });
});
