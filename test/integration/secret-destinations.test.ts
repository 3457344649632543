import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { DELETE as deleteHost, PATCH as patchHost } from "@/app/api/hosts/[id]/route";
import { POST as requestScan } from "@/app/api/hosts/[id]/scans/route";
import { POST as retrust } from "@/app/api/hosts/[id]/host-key/route";
import { PUT as putSettings } from "@/app/api/settings/route";
import { closeDb, getDb } from "@/lib/db";
import { stopBoss } from "@/lib/scan/queue";
import { startScanWorkers, type ScanWorkers } from "@/lib/scan/worker";
import { call, resetDatabase, tokenFor } from "../support/api";
import { generateKeyPair, startSimHost, type SimHost, type SimHostOptions } from "../support/sim-fleet";
import { waitForScan } from "../support/scan-helpers";
import { encryptedKeyWithRounds } from "../support/hostile-keys";
import { storeCredential } from "@/lib/hosts/credentials";
import { pinFirstUseKey } from "@/lib/scan/pin-first-use";

// Issue 12 items 1-3 and the network policy: a stored secret only ever reaches the host it was entered for.
process.env.DAXBOARD_SCAN_RETRY_LIMIT = "0";

const LIMITS = { connectTimeoutMs: 3000, execTimeoutMs: 4000, scanTimeoutMs: 8000, maxOutputBytes: 1024 * 1024 };
const OTHER_FINGERPRINT = "SHA256:" + "Q".repeat(43);

let operator: string;
let admin: string;
let workers: ScanWorkers;
const sims: SimHost[] = [];

async function sim(options: SimHostOptions = {}) {
  const host = await startSimHost(options);
  sims.push(host);
  return host;
}

async function register(body: Record<string, unknown>, token = operator) {
  const res = await call(createHost, { body, token });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.host.id as string;
}

// Registration bodies: a host reached as itself, with a password or a key, plus any extra fields.
function passwordBody(name: string, host: SimHost, extra: Record<string, unknown> = {}, password = host.password!) {
  return {
    name,
    address: host.host,
    port: host.port,
    username: host.username,
    auth: { type: "password", password },
    ...extra,
  };
}

function keyBody(name: string, host: SimHost, key: { privateKey: string }) {
  return {
    name,
    address: host.host,
    port: host.port,
    username: host.username,
    auth: { type: "key", privateKey: key.privateKey },
  };
}

// An inline jump host logging in with its own password (sims started with username "jump").
function inlineJump(bastion: SimHost) {
  return {
    address: bastion.host,
    port: bastion.port,
    username: "jump",
    auth: { type: "password", password: bastion.password },
  };
}

async function passwordHost(name: string, host: SimHost, password = host.password!) {
  return register(passwordBody(name, host, {}, password));
}

async function scan(hostId: string) {
  const res = await call(requestScan, { params: { id: hostId }, token: operator, method: "POST" });
  expect(res.status).toBe(202);
  return waitForScan(res.json.scan.id);
}

const passwordsSeen = (host: SimHost) => host.stats.authAttempts.flatMap((a) => (a.password ? [a.password] : []));

beforeAll(async () => {
  await resetDatabase();
  operator = await tokenFor("operator");
  admin = await tokenFor("admin");
  workers = await startScanWorkers({ concurrency: 4, limits: LIMITS, pollMs: 100, maintenanceMs: 60_000 });
});

afterAll(async () => {
  await workers.stop();
  await stopBoss();
  await Promise.all(sims.map((s) => s.close()));
  await closeDb();
});

describe("who may change where a secret goes", () => {
  it.each([
    ["address", { address: "10.9.9.9" }],
    ["port", { port: 2222 }],
    [
      "jumpHost",
      { jumpHost: { address: "10.9.9.8", username: "jump", auth: { type: "password", password: "jump-secret" } } },
    ],
    ["hostKeyFingerprint", { hostKeyFingerprint: OTHER_FINGERPRINT }],
    ["confirmCredential", { confirmCredential: true }],
  ])("refuses an operator's change of %s with 403 and leaves the host as it was", async (field, body) => {
    const target = await sim({ auth: "password" });
    const id = await passwordHost(`op-${field}`, target);
    const before = await getDb().host.findUniqueOrThrow({ where: { id } });
    const res = await call(patchHost, { method: "PATCH", params: { id }, body, token: operator });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe("forbidden");
    expect(res.json.error.message).toContain(field);
    const after = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(after).toEqual(before);
  });

  it("still lets an operator edit tags, notes and the credential itself", async () => {
    const target = await sim({ auth: "password" });
    const id = await passwordHost("op-tags", target);
    const res = await call(patchHost, {
      method: "PATCH",
      params: { id },
      body: { tags: ["rack-7"], notes: "moved", auth: { type: "password", password: target.password } },
      token: operator,
    });
    expect(res.status).toBe(200);
    expect(res.json.host).toMatchObject({ tags: ["rack-7"], notes: "moved" });
  });

  it("audits an admin's address change as old → new, drops the pin and holds the secret until confirmed", async () => {
    const first = await sim({ auth: "password" });
    const id = await passwordHost("admin-move", first);
    expect((await scan(id)).status).toBe("succeeded");
    const pinned = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(pinned.hostKeyFingerprint).toBe(first.hostKeyFingerprint);

    // The new address is a different machine that would accept any password: it must be offered none.
    const second = await sim({ auth: "password" });
    const moved = await call(patchHost, {
      method: "PATCH",
      params: { id },
      body: { address: "localhost", port: second.port },
      token: admin,
    });
    expect(moved.status).toBe(200);
    expect(moved.json.host).toMatchObject({
      address: "localhost",
      port: second.port,
      hostKeyFingerprint: null,
      credentialReviewRequired: true,
    });
    const audit = await getDb().auditEvent.findFirstOrThrow({
      where: { hostId: id, action: "host.update" },
      orderBy: { at: "desc" },
    });
    expect(audit.actorType).toBe("token");
    expect((audit.detail as { changes: Record<string, unknown> }).changes).toMatchObject({
      address: { old: first.host, new: "localhost" },
      port: { old: first.port, new: second.port },
      hostKeyFingerprint: { old: first.hostKeyFingerprint, new: null },
      credentialReviewRequired: { old: false, new: true },
    });
    expect(JSON.stringify(audit.detail)).not.toContain(first.password!);

    const held = await scan(id);
    expect(held.status).toBe("failed");
    expect(held.errorClass).toBe("credential-held");
    expect(second.stats.connections).toBe(0);
    expect(second.stats.authAttempts).toHaveLength(0);

    const confirmed = await call(patchHost, {
      method: "PATCH",
      params: { id },
      body: { confirmCredential: true },
      token: admin,
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json.host.credentialReviewRequired).toBe(false);
    // The second sim has its own password, so the confirmed (old) one is refused; what matters is where it went.
    const after = await scan(id);
    expect(after.errorClass).toBe("auth-failed");
    expect(passwordsSeen(second)).toEqual([first.password]);
  });

  it("lets an admin re-enter the credential together with the move, with no review hold", async () => {
    const first = await sim({ auth: "password" });
    const second = await sim({ auth: "password" });
    const id = await passwordHost("admin-move-reentered", first);
    const moved = await call(patchHost, {
      method: "PATCH",
      params: { id },
      body: { port: second.port, address: second.host, auth: { type: "password", password: second.password } },
      token: admin,
    });
    expect(moved.status).toBe(200);
    expect(moved.json.host.credentialReviewRequired).toBe(false);
    expect((await scan(id)).status).toBe("succeeded");
    expect(passwordsSeen(second)).toEqual([second.password]);
    expect(passwordsSeen(first)).toEqual([]);
  });
});

describe("jump hosts use their own credentials", () => {
  it("refuses an inline jump host without its own auth", async () => {
    const res = await call(createHost, {
      body: {
        name: "no-jump-auth",
        address: "10.1.1.1",
        username: "probe",
        auth: { type: "password", password: "x" },
        jumpHost: { address: "10.1.1.2", username: "jump" },
      },
      token: operator,
    });
    expect(res.status).toBe(422);
    expect(res.json.error.field).toBe("jumpHost");
  });

  it("offers the inline jump host only its own password and the target only the target's (seen by both auth handlers)", async () => {
    const bastion = await sim({ auth: "password", allowForwarding: true, username: "jump" });
    const target = await sim({ auth: "password" });
    const id = await register(passwordBody("behind-inline-bastion", target, { jumpHost: inlineJump(bastion) }));
    const done = await scan(id);
    expect(done.status, done.errorMessage ?? "").toBe("succeeded");
    expect(bastion.stats.authAttempts.length).toBeGreaterThan(0);
    expect(passwordsSeen(bastion)).toEqual([bastion.password]);
    expect(passwordsSeen(bastion)).not.toContain(target.password);
    expect(passwordsSeen(target)).toEqual([target.password]);
    // Both keys were pinned where they belong.
    expect(await getDb().host.findUniqueOrThrow({ where: { id } })).toMatchObject({
      hostKeyFingerprint: target.hostKeyFingerprint,
      jumpHostKeyFingerprint: bastion.hostKeyFingerprint,
    });
  });

  it("never lends the target's secret to an inline jump host stored without one (rows from before the fix)", async () => {
    const bastion = await sim({ auth: "password", allowForwarding: true });
    const target = await sim({ auth: "password" });
    const id = await passwordHost("legacy-inline-jump", target);
    await getDb().host.update({
      where: { id },
      data: { jumpAddress: bastion.host, jumpPort: bastion.port, jumpUsername: bastion.username },
    });
    const done = await scan(id);
    expect(done.errorClass).toBe("credential-held");
    expect(done.errorMessage).toMatch(/jump host has no credential of its own/);
    expect(bastion.stats.authAttempts).toHaveLength(0);
  });

  it("sends a registered jump host its own key and the target its own password", async () => {
    const bastionKey = generateKeyPair();
    const bastion = await sim({ allowForwarding: true, authorizedKeys: [bastionKey.publicKey] });
    const target = await sim({ auth: "password" });
    const bastionId = await register(keyBody("reg-bastion", bastion, bastionKey));
    const id = await register(passwordBody("behind-reg-bastion", target, { jumpHost: { hostId: bastionId } }), admin);
    expect((await scan(id)).status).toBe("succeeded");
    expect(passwordsSeen(bastion)).toEqual([]);
    expect(bastion.stats.authAttempts.every((a) => a.method === "publickey")).toBe(true);
    expect(passwordsSeen(target)).toEqual([target.password]);
  });
});

describe("registered jump hosts lend their secret only with an admin's say-so", () => {
  async function bastionAndTarget(prefix: string) {
    const bastionKey = generateKeyPair();
    const bastion = await sim({ allowForwarding: true, authorizedKeys: [bastionKey.publicKey] });
    const target = await sim({ auth: "password" });
    const bastionId = await register(keyBody(`${prefix}-bastion`, bastion, bastionKey));
    return { bastion, target, bastionId };
  }

  it("refuses an operator's registration through a registered jump host (it would use that host's secret)", async () => {
    const { target, bastionId } = await bastionAndTarget("op-through");
    const body = {
      name: "op-behind",
      address: target.host,
      port: target.port,
      username: target.username,
      auth: { type: "password", password: target.password },
      jumpHost: { hostId: bastionId },
    };
    const res = await call(createHost, { body, token: operator });
    expect(res.status).toBe(403);
    expect(res.json.error.field).toBe("jumpHost");
    expect(await getDb().host.count({ where: { name: "op-behind" } })).toBe(0);
  });

  it("refuses a chain: a registered jump host that itself goes through a jump host", async () => {
    const { target, bastionId } = await bastionAndTarget("chain");
    const middle = await register(passwordBody("chain-middle", target, { jumpHost: { hostId: bastionId } }), admin);
    const res = await call(createHost, {
      body: {
        name: "chain-end",
        address: "10.7.7.7",
        username: "probe",
        auth: { type: "password", password: "x" },
        jumpHost: { hostId: middle },
      },
      token: admin,
    });
    expect(res.status).toBe(422);
    expect(res.json.error.message).toMatch(/chained jump hosts are not supported/);
  });

  it("refuses to delete a jump host that hosts still go through, so they cannot fall back to a direct route", async () => {
    const { target, bastionId } = await bastionAndTarget("in-use");
    const id = await register(passwordBody("in-use-behind", target, { jumpHost: { hostId: bastionId } }), admin);
    const res = await call(deleteHost, { method: "DELETE", params: { id: bastionId }, token: operator });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/is the jump host of in-use-behind/);
    expect((await getDb().host.findUniqueOrThrow({ where: { id } })).jumpHostId).toBe(bastionId);
  });
});

describe("re-trust pins the key where it was presented", () => {
  it("re-trusts a registered jump host's changed key on the jump host, never on the target", async () => {
    const bastionKey = generateKeyPair();
    const bastion = await sim({ allowForwarding: true, authorizedKeys: [bastionKey.publicKey] });
    const target = await sim({ auth: "password" });
    const bastionId = await register({
      ...keyBody("rotated-bastion", bastion, bastionKey),
      hostKeyFingerprint: OTHER_FINGERPRINT,
    });
    const id = await register(
      passwordBody("behind-rotated-bastion", target, {
        jumpHost: { hostId: bastionId },
        hostKeyFingerprint: target.hostKeyFingerprint,
      }),
      admin,
    );
    const failed = await scan(id);
    expect(failed.errorClass).toBe("host-key-mismatch");
    expect(failed.errorDetail).toMatchObject({ host: "jump", presentedFingerprint: bastion.hostKeyFingerprint });

    const res = await call(retrust, {
      params: { id },
      token: admin,
      body: { fingerprint: bastion.hostKeyFingerprint },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.hostKey).toMatchObject({ role: "jump", hostKeyFingerprint: bastion.hostKeyFingerprint });
    expect((await getDb().host.findUniqueOrThrow({ where: { id: bastionId } })).hostKeyFingerprint).toBe(
      bastion.hostKeyFingerprint,
    );
    expect((await getDb().host.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint).toBe(
      target.hostKeyFingerprint,
    );
    const audit = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "host.retrust-key" },
      orderBy: { at: "desc" },
    });
    expect(audit).toMatchObject({
      hostId: bastionId,
      detail: { old: OTHER_FINGERPRINT, new: bastion.hostKeyFingerprint, role: "jump" },
    });
    expect((await scan(id)).status).toBe("succeeded");
  });

  it("re-trusts an inline jump host's changed key in the jump columns, never on the target", async () => {
    const bastion = await sim({ auth: "password", allowForwarding: true, username: "jump" });
    const target = await sim({ auth: "password" });
    const id = await register(
      passwordBody("behind-rotated-inline", target, {
        jumpHost: { ...inlineJump(bastion), hostKeyFingerprint: OTHER_FINGERPRINT },
      }),
    );
    const failed = await scan(id);
    expect(failed.errorDetail).toMatchObject({ host: "jump", presentedFingerprint: bastion.hostKeyFingerprint });
    expect(passwordsSeen(bastion)).toEqual([]);
    const res = await call(retrust, {
      params: { id },
      token: admin,
      body: { fingerprint: bastion.hostKeyFingerprint },
    });
    expect(res.status).toBe(200);
    const host = await getDb().host.findUniqueOrThrow({ where: { id } });
    expect(host.jumpHostKeyFingerprint).toBe(bastion.hostKeyFingerprint);
    expect(host.hostKeyFingerprint).toBeNull();
    expect((await scan(id)).status).toBe("succeeded");
    expect((await getDb().host.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint).toBe(
      target.hostKeyFingerprint,
    );
  });

  it("re-trusts a target's changed key on the target", async () => {
    const target = await sim({ auth: "password" });
    const id = await register(passwordBody("rotated-target", target, { hostKeyFingerprint: OTHER_FINGERPRINT }));
    const failed = await scan(id);
    expect(failed.errorDetail).toMatchObject({ host: "target", presentedFingerprint: target.hostKeyFingerprint });
    const res = await call(retrust, { params: { id }, token: admin, body: { fingerprint: target.hostKeyFingerprint } });
    expect(res.json.hostKey).toMatchObject({ role: "target", hostKeyFingerprint: target.hostKeyFingerprint });
    expect((await scan(id)).status).toBe("succeeded");
  });
});

describe("stale re-trusts and held credentials", () => {
  it("refuses to re-trust a key presented before the host moved", async () => {
    const target = await sim({ auth: "password" });
    const id = await register(passwordBody("moved-after-mismatch", target, { hostKeyFingerprint: OTHER_FINGERPRINT }));
    const failed = await scan(id);
    expect(failed.errorDetail).toMatchObject({ presentedBy: `${target.host}:${target.port}` });
    const other = await sim({ auth: "password" });
    await call(patchHost, { method: "PATCH", params: { id }, body: { port: other.port }, token: admin });
    const res = await call(retrust, { params: { id }, token: admin, body: { fingerprint: target.hostKeyFingerprint } });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("stale_mismatch");
    expect((await getDb().host.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint).toBe(OTHER_FINGERPRINT);
  });

  it("does not let an operator lift a held credential by switching the host to the server's agent", async () => {
    const first = await sim({ auth: "password" });
    const id = await passwordHost("agent-lift", first);
    await call(patchHost, { method: "PATCH", params: { id }, body: { address: "localhost" }, token: admin });
    const res = await call(patchHost, {
      method: "PATCH",
      params: { id },
      body: { auth: { type: "agent" } },
      token: operator,
    });
    expect(res.status).toBe(200);
    expect(res.json.host.credentialReviewRequired).toBe(true);
  });
});

describe("pin before sending a secret", () => {
  it("pins a first-use key at the handshake, so a failed login cannot be replayed to another key", async () => {
    const real = await sim({ auth: "password" });
    const id = await passwordHost("wrong-password", real, "not the right password");
    const failed = await scan(id);
    expect(failed.errorClass).toBe("auth-failed");
    // The key was pinned although authentication failed.
    expect((await getDb().host.findUniqueOrThrow({ where: { id } })).hostKeyFingerprint).toBe(real.hostKeyFingerprint);

    // Someone else answers on that address now: the retry is refused at the handshake, no password offered.
    const impostor = await sim({ auth: "password" });
    await getDb().host.update({ where: { id }, data: { port: impostor.port } });
    const again = await scan(id);
    expect(again.errorClass).toBe("host-key-mismatch");
    expect(impostor.stats.connections).toBe(1);
    expect(impostor.stats.authAttempts).toHaveLength(0);
  });

  it("pins a batch of first-use keys at once, and one key per host when two race for it", async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(
        async (i) =>
          (
            await getDb().host.create({
              data: { name: `pin-batch-${i}`, address: `10.6.6.${i}`, username: "probe", authMethod: "agent" },
            })
          ).id,
      ),
    );
    const key = (c: string) => ({ algorithm: "ssh-ed25519", fingerprint: "SHA256:" + c.repeat(43) });
    const answers = await Promise.all([
      pinFirstUseKey({ kind: "host", hostId: ids[0]! }, key("A")),
      pinFirstUseKey({ kind: "host", hostId: ids[0]! }, key("B")),
      pinFirstUseKey({ kind: "host", hostId: ids[1]! }, key("C")),
      pinFirstUseKey({ kind: "host", hostId: ids[2]! }, key("D")),
    ]);
    const pinned = await getDb().host.findMany({
      where: { id: { in: ids } },
      orderBy: { name: "asc" },
      select: { hostKeyFingerprint: true, hostKeyPinnedBy: true },
    });
    // Both racers for host 1 are told the one key that won; the loser's scan then refuses at the handshake.
    expect(answers[0]).toBe(answers[1]);
    expect([key("A").fingerprint, key("B").fingerprint]).toContain(answers[0]);
    expect(pinned.map((h) => h.hostKeyFingerprint)).toEqual([answers[0], key("C").fingerprint, key("D").fingerprint]);
    expect(pinned.every((h) => h.hostKeyPinnedBy === "first scan (trust on first use)")).toBe(true);
    expect(await pinFirstUseKey({ kind: "host", hostId: ids[1]! }, key("E"))).toBe(key("C").fingerprint);
  });

  it("fails a password host whose credential row is missing instead of falling back to the agent", async () => {
    const target = await sim({ auth: "password" });
    const id = await passwordHost("lost-credential", target);
    const { credentialId } = await getDb().host.findUniqueOrThrow({ where: { id } });
    await getDb().credential.delete({ where: { id: credentialId! } });
    const failed = await scan(id);
    expect(failed.errorClass).toBe("credential-held");
    expect(failed.errorMessage).toMatch(/stored password for this host is missing/);
    expect(target.stats.connections).toBe(0);
  });
});

describe("stored keys with a hostile KDF cost", () => {
  it("fails a scan whose stored key asks for 2^31 bcrypt rounds at once, without running them or connecting", async () => {
    const target = await sim({});
    const id = await register({
      name: "stored-costly-key",
      address: target.host,
      port: target.port,
      username: target.username,
      auth: { type: "agent" },
    });
    // Stored as an older version would have, before registration checked the round count.
    const credentialId = await storeCredential({
      type: "key",
      privateKey: encryptedKeyWithRounds(2 ** 31, "pw"),
      passphrase: "pw",
    });
    await getDb().host.update({ where: { id }, data: { authMethod: "key", credentialId } });
    const failed = await scan(id);
    expect(failed.errorClass).toBe("auth-failed");
    expect(failed.errorMessage).toMatch(/2147483648 bcrypt rounds/);
    expect(target.stats.authAttempts).toHaveLength(0);
  });
});

describe("scan network policy", () => {
  afterAll(async () => {
    await call(putSettings, { method: "PUT", body: { scanAllowCidrs: [], scanDenyCidrs: [] }, token: admin });
  });

  it("validates the ranges and lets only admins set them", async () => {
    const bad = await call(putSettings, { method: "PUT", body: { scanDenyCidrs: ["10.0.0.0/33"] }, token: admin });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("scanDenyCidrs.0");
    const denied = await call(putSettings, { method: "PUT", body: { scanDenyCidrs: ["10.0.0.0/8"] }, token: operator });
    expect(denied.status).toBe(403);
  });

  it("refuses a denied range after DNS resolution, before any connection, and audits the change", async () => {
    const target = await sim({ auth: "password" });
    const id = await register(passwordBody("policy-by-name", target, { address: "localhost" }));
    const saved = await call(putSettings, {
      method: "PUT",
      body: { scanDenyCidrs: ["127.0.0.0/8", "::1/128"] },
      token: admin,
    });
    expect(saved.status).toBe(200);
    expect(saved.json.settings.scanDenyCidrs).toEqual(["127.0.0.0/8", "::1/128"]);
    const audit = await getDb().auditEvent.findFirstOrThrow({
      where: { action: "settings.update" },
      orderBy: { at: "desc" },
    });
    expect(audit.detail).toMatchObject({ changes: { scanDenyCidrs: { old: [], new: ["127.0.0.0/8", "::1/128"] } } });

    const blocked = await scan(id);
    expect(blocked.errorClass).toBe("policy-blocked");
    expect(blocked.errorMessage).toMatch(/denied range/);
    expect(target.stats.connections).toBe(0);
  });

  it("asks a jump host to forward to the checked address, never to a name it could resolve elsewhere", async () => {
    const bastion = await sim({ auth: "password", allowForwarding: true, username: "jump" });
    const target = await sim({ auth: "password" });
    const id = await register(
      passwordBody("policy-behind-bastion", target, { address: "localhost", jumpHost: inlineJump(bastion) }),
    );
    await call(putSettings, {
      method: "PUT",
      body: { scanAllowCidrs: [], scanDenyCidrs: ["10.0.0.0/8"] },
      token: admin,
    });
    const done = await scan(id);
    expect(done.status, done.errorMessage ?? "").toBe("succeeded");
    expect(bastion.stats.forwards).toHaveLength(1);
    expect(bastion.stats.forwards[0]).toMatch(new RegExp(`^(127\\.0\\.0\\.1|::1):${target.port}$`));
    await call(putSettings, { method: "PUT", body: { scanDenyCidrs: ["127.0.0.0/8", "::1/128"] }, token: admin });
    const blocked = await scan(id);
    expect(blocked.errorClass).toBe("policy-blocked");
    expect(bastion.stats.forwards).toHaveLength(1);
  });

  it("allows only the allowed ranges when an allow list is set", async () => {
    const target = await sim({ auth: "password" });
    const id = await passwordHost("policy-allow", target);
    await call(putSettings, {
      method: "PUT",
      body: { scanAllowCidrs: ["10.0.0.0/8"], scanDenyCidrs: [] },
      token: admin,
    });
    const blocked = await scan(id);
    expect(blocked.errorClass).toBe("policy-blocked");
    expect(blocked.errorMessage).toMatch(/outside the allowed ranges/);
    await call(putSettings, { method: "PUT", body: { scanAllowCidrs: ["127.0.0.0/8"] }, token: admin });
    expect((await scan(id)).status).toBe("succeeded");
  });
});
