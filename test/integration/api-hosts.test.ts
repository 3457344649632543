import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listHosts, POST as createHost } from "@/app/api/hosts/route";
import { GET as getHost, PATCH as patchHost, DELETE as deleteHost } from "@/app/api/hosts/[id]/route";
import { closeDb, getDb } from "@/lib/db";
import { loadCredential } from "@/lib/hosts/credentials";
import { call, resetDatabase, tokenFor } from "../support/api";
import { generateKeyPair } from "../support/sim-keys";

const key = generateKeyPair();
const PRIVATE_KEY = key.privateKey;
const PASSWORD = "s3cret-Passw0rd-xyz";

let operator: string;
let viewer: string;

const hostBody = (over: Record<string, unknown> = {}) => ({
  name: `host-${Math.random().toString(36).slice(2, 8)}`,
  address: `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
  username: "daxboard",
  auth: { type: "key", privateKey: PRIVATE_KEY },
  tags: ["rack3", "altra"],
  ...over,
});

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  viewer = await tokenFor("viewer");
});
afterAll(closeDb);

describe("POST /api/hosts", () => {
  it("registers a host with a key, returns 201 and never the secret", async () => {
    const res = await call(createHost, {
      body: hostBody({ name: "altra-01", address: "altra-01.lab.example" }),
      token: operator,
    });
    expect(res.status).toBe(201);
    expect(res.json.host).toMatchObject({
      name: "altra-01",
      address: "altra-01.lab.example",
      port: 22,
      authMethod: "key",
      hasCredential: true,
    });
    expect(res.text).not.toContain("PRIVATE KEY");
    expect(res.text).not.toContain(PRIVATE_KEY.split("\n")[1]);
    const stored = await getDb().host.findUniqueOrThrow({
      where: { id: res.json.host.id },
      select: { credentialId: true },
    });
    const raw = await getDb().credential.findUniqueOrThrow({
      where: { id: stored.credentialId! },
      omit: { ciphertext: false },
    });
    expect(Buffer.from(raw.ciphertext).toString("latin1")).not.toContain("PRIVATE KEY");
    expect(await loadCredential(stored.credentialId!)).toEqual({ privateKey: PRIVATE_KEY });
  });

  it("registers password and agent hosts, IPv6 addresses and pinned fingerprints", async () => {
    const pw = await call(createHost, {
      body: hostBody({ address: "fd00::17", auth: { type: "password", password: PASSWORD } }),
      token: operator,
    });
    expect(pw.status).toBe(201);
    expect(pw.text).not.toContain(PASSWORD);
    const fp = "SHA256:" + "A".repeat(43);
    const agent = await call(createHost, {
      body: hostBody({ auth: { type: "agent" }, hostKeyFingerprint: fp }),
      token: operator,
    });
    expect(agent.status).toBe(201);
    expect(agent.json.host).toMatchObject({
      authMethod: "agent",
      hasCredential: false,
      hostKeyFingerprint: fp,
      hostKeyPinnedBy: "token:operator-token",
    });
  });

  it.each([
    ["address with shell metacharacters", { address: "10.0.0.1;rm -rf /" }, "address"],
    ["address with command substitution", { address: "$(reboot)" }, "address"],
    ["port 0", { port: 0 }, "port"],
    ["port 65536", { port: 65536 }, "port"],
    [
      "unparseable private key",
      {
        auth: {
          type: "key",
          privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nnope\n-----END OPENSSH PRIVATE KEY-----",
        },
      },
      "auth.privateKey",
    ],
    ["a public key instead of a private one", { auth: { type: "key", privateKey: key.publicKey } }, "auth.privateKey"],
    ["unknown auth type", { auth: { type: "kerberos" } }, "auth.type"],
    ["bad fingerprint", { hostKeyFingerprint: "MD5:aa:bb" }, "hostKeyFingerprint"],
    ["tag with a space", { tags: ["ok", "not ok"] }, "tags.1"],
  ])("rejects %s with the field named", async (_label, over, field) => {
    const before = await getDb().host.count();
    const res = await call(createHost, { body: hostBody(over), token: operator });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("invalid_input");
    expect(res.json.error.field).toBe(field);
    expect(res.json.error.message).toMatch(/\w/);
    expect(await getDb().host.count()).toBe(before);
  });

  it("rejects duplicate names and duplicate address:port with 409", async () => {
    await call(createHost, { body: hostBody({ name: "dup-a", address: "10.9.9.9", port: 2222 }), token: operator });
    const sameName = await call(createHost, { body: hostBody({ name: "dup-a" }), token: operator });
    expect(sameName.status).toBe(409);
    expect(sameName.json.error.field).toBe("name");
    const sameAddr = await call(createHost, { body: hostBody({ address: "10.9.9.9", port: 2222 }), token: operator });
    expect(sameAddr.status).toBe(409);
    expect(sameAddr.json.error.field).toBe("address");
    const otherPort = await call(createHost, { body: hostBody({ address: "10.9.9.9", port: 22 }), token: operator });
    expect(otherPort.status).toBe(201);
  });

  it("rejects bodies over 1 MiB with 413", async () => {
    const res = await call(createHost, {
      rawBody: JSON.stringify(hostBody({ notes: "x".repeat(1024 * 1024 + 10) })),
      token: operator,
    });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe("payload_too_large");
  });

  it("rejects invalid JSON with a readable error", async () => {
    const res = await call(createHost, { rawBody: "{not json", token: operator });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_json");
  });
});

describe("roles and auth", () => {
  it("requires auth for reads", async () => {
    expect((await call(listHosts, { path: "/api/hosts" })).status).toBe(401);
  });
  it("lets a viewer read but not register", async () => {
    expect((await call(listHosts, { path: "/api/hosts", token: viewer })).status).toBe(200);
    const res = await call(createHost, { body: hostBody(), token: viewer });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
  });
});

describe("GET /api/hosts", () => {
  it("pages, filters by tag and text, and sorts", async () => {
    await resetDatabase();
    operator = await tokenFor("operator");
    for (let i = 0; i < 7; i++) {
      await call(createHost, {
        body: hostBody({ name: `node-${i}`, address: `192.168.5.${i + 1}`, tags: i % 2 ? ["odd"] : ["even"] }),
        token: operator,
      });
    }
    const page1 = await call(listHosts, { path: "/api/hosts?pageSize=3&sort=-name", token: operator });
    expect(page1.json.total).toBe(7);
    expect(page1.json.hosts.map((h: { name: string }) => h.name)).toEqual(["node-6", "node-5", "node-4"]);
    const page3 = await call(listHosts, { path: "/api/hosts?pageSize=3&page=3&sort=-name", token: operator });
    expect(page3.json.hosts.map((h: { name: string }) => h.name)).toEqual(["node-0"]);
    const odd = await call(listHosts, { path: "/api/hosts?tag=odd", token: operator });
    expect(odd.json.total).toBe(3);
    const text = await call(listHosts, { path: "/api/hosts?q=192.168.5.7", token: operator });
    expect(text.json.hosts.map((h: { name: string }) => h.name)).toEqual(["node-6"]);
    const badSort = await call(listHosts, { path: "/api/hosts?sort=password", token: operator });
    expect(badSort.status).toBe(422);
    expect(badSort.json.error.field).toBe("sort");
    expect(JSON.stringify(page1.json)).not.toContain("PRIVATE KEY");
  });
});

describe("GET, PATCH, DELETE /api/hosts/:id", () => {
  it("edits, re-pins and deletes a host while keeping its audit events", async () => {
    const created = await call(createHost, { body: hostBody({ name: "to-edit" }), token: operator });
    const id = created.json.host.id as string;
    const got = await call(getHost, { params: { id }, token: operator });
    expect(got.json.host.name).toBe("to-edit");
    // The port decides where the stored secret goes: an admin change (an operator's is refused: secret-destinations.test.ts).
    const patched = await call(patchHost, {
      method: "PATCH",
      params: { id },
      body: { tags: ["moved"], port: 2200 },
      token: await tokenFor("admin"),
    });
    expect(patched.status).toBe(200);
    expect(patched.json.host).toMatchObject({ tags: ["moved"], port: 2200 });
    const badPatch = await call(patchHost, { method: "PATCH", params: { id }, body: { port: 70000 }, token: operator });
    expect(badPatch.status).toBe(422);
    const del = await call(deleteHost, { method: "DELETE", params: { id }, token: operator });
    expect(del.status).toBe(204);
    expect((await call(getHost, { params: { id }, token: operator })).status).toBe(404);
    const audit = await getDb().auditEvent.findMany({ where: { hostId: id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["host.register", "host.update", "host.delete"]);
    expect(audit[0].actorLabel).toBe("token:operator-token");
  });

  it("returns 404 for an unknown host", async () => {
    const res = await call(getHost, { params: { id: "nope" }, token: operator });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe("not_found");
  });
});
