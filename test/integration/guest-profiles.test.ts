import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createHost } from "@/app/api/hosts/route";
import { GET as getHost, PATCH as patchHost } from "@/app/api/hosts/[id]/route";
import { PUT as putDefault } from "@/app/api/settings/guest-profile/route";
import { GET as listProfiles, POST as createProfile } from "@/app/api/settings/guest-profiles/route";
import { DELETE as deleteProfile, PUT as putProfile } from "@/app/api/settings/guest-profiles/[id]/route";
import { PUT as putOrder } from "@/app/api/settings/guest-profiles/order/route";
import { GET as getRun } from "@/app/api/settings/reassess-runs/[id]/route";
import { closeDb, getDb } from "@/lib/db";
import { DEFAULT_GUEST_PROFILE, RULES_VERSION } from "@/lib/readiness";
import { call, resetDatabase, tokenFor } from "../support/api";
import { startReassessWorkerForTest, waitForRun } from "../support/reassess-runs";
import { recordSimulatedScan } from "../support/seed-scan";

let admin: string;
let viewer: string;
let stopWorker: () => Promise<void>;
const ids: Record<string, string> = {};
const profileIds: Record<string, string> = {};

const NO_FUSE_DAX =
  "CONFIG_FUSE_FS=y\nCONFIG_VIRTIO_FS=y\n# CONFIG_FUSE_DAX is not set\nCONFIG_DAX=y\nCONFIG_FS_DAX=y\nCONFIG_ZONE_DEVICE=y\n";

const body = (name: string, tags: string[], extra: Record<string, unknown> = {}) => ({
  ...DEFAULT_GUEST_PROFILE,
  name,
  tags,
  ...extra,
});

async function seed(name: string, tags: string[], i: number) {
  const res = await call(createHost, {
    body: { name, address: `10.9.0.${i}`, username: "ops", auth: { type: "agent" }, tags },
    token: admin,
  });
  ids[name] = res.json.host.id;
  await recordSimulatedScan(ids[name], "altra-max-01"); // legacy DAX-capable stack: ready with the default guest
}

const host = async (name: string) =>
  (await call(getHost, { path: `/api/hosts/${ids[name]}`, params: { id: ids[name] }, token: viewer })).json.host;

// The current scan rows of hosts, to prove a run left them alone.
const scanRows = (names: string[]) =>
  getDb().scan.findMany({
    where: { hostId: { in: names.map((n) => ids[n]) } },
    select: { id: true, verdict: true, rulesVersion: true, assessment: true },
    orderBy: { id: "asc" },
  });

// Marks the scans of hosts outside a change, so a re-assessment touching them would show (it writes RULES_VERSION).
const mark = (names: string[]) =>
  getDb().scan.updateMany({ where: { hostId: { in: names.map((n) => ids[n]) } }, data: { rulesVersion: "marker" } });

beforeAll(async () => {
  await resetDatabase();
  admin = await tokenFor("admin");
  viewer = await tokenFor("viewer");
  await seed("gpu-1", ["gpu"], 1);
  await seed("gpu-2", ["gpu", "rack-a"], 2);
  await seed("web-1", ["web"], 3);
  await seed("plain-1", [], 4);
  stopWorker = await startReassessWorkerForTest();
});
afterAll(async () => {
  await stopWorker();
  await closeDb();
});

describe("guest profiles per tag", () => {
  it("lists the default profile alone until named ones are added", async () => {
    const res = await call(listProfiles, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.json.activeRun).toBeNull();
    expect(res.json.profiles).toEqual([
      expect.objectContaining({ id: "default", name: "default", tags: [], isDefault: true, hostCount: 4 }),
    ]);
    expect(res.json.profiles[0]).toMatchObject({ fsType: "erofs", imageSizeMiB: null, daxFixBackported: false });
    expect(res.json.profiles[0].configGaps).toBeNull(); // no .config uploaded
    expect((await host("gpu-1")).guestProfile).toEqual({ id: "default", name: "default" });
  });

  it("a new profile for a tag re-assesses only that tag's hosts, with progress", async () => {
    await mark(["web-1", "plain-1"]);
    const untouched = await scanRows(["web-1", "plain-1"]);
    const scans = await getDb().scan.count();
    const res = await call(createProfile, { body: body("gpu", ["gpu"], { kernelConfig: NO_FUSE_DAX }), token: admin });
    expect(res.status).toBe(201);
    expect(res.json.profile).toMatchObject({ name: "gpu", tags: ["gpu"], isDefault: false, hostCount: 2 });
    // The uploaded .config judged per path: what each lacks (MEMORY_HOTPLUG and friends are not in this one).
    expect(res.json.profile.configGaps["virtiofs-dax"]).toEqual(
      expect.arrayContaining(["CONFIG_FUSE_DAX", "CONFIG_MEMORY_HOTPLUG"]),
    );
    expect(res.json.profile.configGaps["virtiofs-dax"]).not.toContain("CONFIG_VIRTIO_FS");
    expect(res.json.profile.configGaps["pmem-dax"]).toEqual(
      expect.arrayContaining(["CONFIG_VIRTIO_PMEM", "CONFIG_LIBNVDIMM", "CONFIG_EROFS_FS"]),
    );
    expect(res.json.run).toMatchObject({ status: "queued", done: 0 });
    profileIds.gpu = res.json.profile.id;
    const run = await waitForRun(viewer, res.json.run.id);
    expect(run).toMatchObject({ status: "succeeded", total: 2, done: 2, verdictChanged: 2, error: null });
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();
    for (const name of ["gpu-1", "gpu-2"]) {
      const h = await host(name);
      expect(h.verdict).toBe("platform-ready");
      expect(h.guestProfile).toEqual({ id: profileIds.gpu, name: "gpu" });
    }
    expect(await scanRows(["web-1", "plain-1"])).toEqual(untouched);
    expect((await host("web-1")).verdict).toMatch(/^ready/);
    expect(await getDb().scan.count()).toBe(scans);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: "guest-profile.create" } });
    expect(audit.detail).toMatchObject({ name: "gpu", kernelConfigBytes: Buffer.byteLength(NO_FUSE_DAX) });
    expect(JSON.stringify(audit.detail)).not.toContain("CONFIG_FUSE_FS");
  });

  it("saving the profile again re-assesses the same hosts and nothing else", async () => {
    await mark(["web-1", "plain-1"]);
    const untouched = await scanRows(["web-1", "plain-1"]);
    const res = await call(putProfile, {
      method: "PUT",
      params: { id: profileIds.gpu },
      body: body("gpu", ["gpu"]),
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(await waitForRun(viewer, res.json.run.id)).toMatchObject({ status: "succeeded", total: 2, done: 2 });
    expect((await host("gpu-2")).verdict).toMatch(/^ready/);
    expect((await scanRows(["gpu-1", "gpu-2"])).map((s) => s.rulesVersion)).toEqual([RULES_VERSION, RULES_VERSION]);
    expect(await scanRows(["web-1", "plain-1"])).toEqual(untouched);
  });

  it("reordering moves hosts to the first matching profile; deleting moves them back", async () => {
    const big = await call(createProfile, {
      body: body("gpu big pages", ["rack-a", "gpu"], { pageSize: 65536, ramMiB: 8192 }),
      token: admin,
    });
    expect(big.status).toBe(201);
    profileIds.big = big.json.profile.id;
    // Behind "gpu", it covers no host yet.
    expect(await waitForRun(viewer, big.json.run.id)).toMatchObject({ status: "succeeded", total: 0, done: 0 });
    const order = await call(putOrder, {
      method: "PUT",
      body: { ids: [profileIds.big, profileIds.gpu] },
      token: admin,
    });
    expect(order.status).toBe(200);
    expect(await waitForRun(viewer, order.json.run.id)).toMatchObject({ status: "succeeded", total: 2, done: 2 });
    expect((await host("gpu-1")).guestProfile).toEqual({ id: profileIds.big, name: "gpu big pages" });
    const list = await call(listProfiles, { token: viewer });
    expect(list.json.profiles.map((p: { name: string; hostCount: number }) => [p.name, p.hostCount])).toEqual([
      ["gpu big pages", 2],
      ["gpu", 0],
      ["default", 2],
    ]);
    const del = await call(deleteProfile, { method: "DELETE", params: { id: profileIds.big }, token: admin });
    expect(del.status).toBe(200);
    expect(await waitForRun(viewer, del.json.run.id)).toMatchObject({ status: "succeeded", total: 2, done: 2 });
    expect((await host("gpu-1")).guestProfile).toEqual({ id: profileIds.gpu, name: "gpu" });
    expect(await getDb().auditEvent.count({ where: { action: "guest-profile.delete" } })).toBe(1);
  });

  it("the default profile (old PUT too) re-assesses only the hosts no named profile covers", async () => {
    await mark(["gpu-1", "gpu-2"]);
    const untouched = await scanRows(["gpu-1", "gpu-2"]);
    const res = await call(putDefault, {
      method: "PUT",
      body: { ...DEFAULT_GUEST_PROFILE, kernelConfig: NO_FUSE_DAX },
      token: admin,
    });
    expect(res.status).toBe(200);
    expect(res.json.profile.kernelConfig).toBe(NO_FUSE_DAX);
    expect(await waitForRun(viewer, res.json.run.id)).toMatchObject({ status: "succeeded", total: 2, done: 2 });
    expect((await host("plain-1")).verdict).toBe("platform-ready");
    expect(await scanRows(["gpu-1", "gpu-2"])).toEqual(untouched);
    const named = await call(putProfile, {
      method: "PUT",
      params: { id: "default" },
      body: body("default", []),
      token: admin,
    });
    expect(await waitForRun(viewer, named.json.run.id)).toMatchObject({ status: "succeeded", total: 2 });
    expect((await host("plain-1")).verdict).toMatch(/^ready/);
  });
});

describe("host tag edits", () => {
  it("re-tagging a host under another profile re-assesses it in the background", async () => {
    const res = await call(patchHost, {
      method: "PATCH",
      params: { id: ids["web-1"] },
      body: { tags: ["web", "gpu"] },
      token: admin,
    });
    expect(res.status).toBe(200);
    const run = await getDb().reassessRun.findFirstOrThrow({ where: { reason: "host tags changed" } });
    expect(await waitForRun(viewer, run.id)).toMatchObject({ status: "succeeded", total: 1, done: 1 });
    expect((await host("web-1")).guestProfile).toEqual({ id: profileIds.gpu, name: "gpu" });
    // A tag edit that moves no host queues nothing.
    await call(patchHost, { method: "PATCH", params: { id: ids["web-1"] }, body: { tags: ["gpu"] }, token: admin });
    expect(await getDb().reassessRun.count({ where: { reason: "host tags changed" } })).toBe(1);
  });
});

describe("a failing re-assessment", () => {
  it("ends its run as failed with a readable error and leaves the hosts as they were", async () => {
    // A database-side failure in the middle of the run: the scan update is refused.
    await getDb().$executeRawUnsafe(`create function refuse_scan_update() returns trigger language plpgsql as
      $$ begin raise exception 'scan rows are read-only in this test'; end $$`);
    await getDb().$executeRawUnsafe(
      `create trigger refuse_scan_update before update on "Scan" for each row execute function refuse_scan_update()`,
    );
    try {
      const covered = ["gpu-1", "gpu-2", "web-1"];
      const before = await scanRows(covered);
      const res = await call(putProfile, {
        method: "PUT",
        params: { id: profileIds.gpu },
        body: body("gpu", ["gpu"], { ramMiB: 4096 }),
        token: admin,
      });
      const run = await waitForRun(viewer, res.json.run.id);
      expect(run).toMatchObject({ status: "failed", done: 0, total: 3 });
      expect(run.error).toBe("Re-assessment failed: scan rows are read-only in this test");
      expect(run.finishedAt).not.toBeNull();
      expect(await scanRows(covered)).toEqual(before);
    } finally {
      await getDb().$executeRawUnsafe(`drop trigger refuse_scan_update on "Scan"`);
      await getDb().$executeRawUnsafe(`drop function refuse_scan_update()`);
    }
  });
});

describe("guest profile validation and roles", () => {
  it("refuses bad names, duplicate names, missing tags and tags on the default", async () => {
    const bad = await call(createProfile, { body: body("bad/name", ["x"]), token: admin });
    expect(bad.status).toBe(422);
    expect(bad.json.error.field).toBe("name");
    const dup = await call(createProfile, { body: body("gpu", ["x"]), token: admin });
    expect(dup.status).toBe(409);
    expect(dup.json.error).toMatchObject({ code: "duplicate", field: "name" });
    expect(dup.json.error.message).toMatch(/guest profile/);
    const named = await call(createProfile, { body: body("default", ["x"]), token: admin });
    expect(named.status).toBe(409);
    const untagged = await call(createProfile, { body: body("no tags", []), token: admin });
    expect(untagged.status).toBe(422);
    expect(untagged.json.error.field).toBe("tags");
    const tagged = await call(putProfile, {
      method: "PUT",
      params: { id: "default" },
      body: body("default", ["gpu"]),
      token: admin,
    });
    expect(tagged.status).toBe(422);
    expect(tagged.json.error.field).toBe("tags");
    const pageSize = await call(createProfile, { body: body("odd", ["x"], { pageSize: 8192 }), token: admin });
    expect(pageSize.status).toBe(422);
    expect(pageSize.json.error.field).toBe("pageSize");
  });

  it("keeps the default: 409 on delete; 404 for unknown ids; an order must list every named profile once", async () => {
    const del = await call(deleteProfile, { method: "DELETE", params: { id: "default" }, token: admin });
    expect(del.status).toBe(409);
    const gone = await call(deleteProfile, { method: "DELETE", params: { id: "nope" }, token: admin });
    expect(gone.status).toBe(404);
    const put = await call(putProfile, { method: "PUT", params: { id: "nope" }, body: body("x", ["x"]), token: admin });
    expect(put.status).toBe(404);
    const order = await call(putOrder, {
      method: "PUT",
      body: { ids: [profileIds.gpu, profileIds.gpu] },
      token: admin,
    });
    expect(order.status).toBe(422);
    expect(order.json.error.field).toBe("ids");
    const run = await call(getRun, { params: { id: "nope" }, token: viewer });
    expect(run.status).toBe(404);
  });

  it("lets viewers read profiles and runs but only admins change them", async () => {
    const operator = await tokenFor("operator", "op-2");
    for (const token of [viewer, operator]) {
      expect((await call(createProfile, { body: body("v", ["v"]), token })).status).toBe(403);
      const put = await call(putProfile, {
        method: "PUT",
        params: { id: "default" },
        body: body("default", []),
        token,
      });
      expect(put.status).toBe(403);
      expect((await call(deleteProfile, { method: "DELETE", params: { id: profileIds.gpu }, token })).status).toBe(403);
      expect((await call(putOrder, { method: "PUT", body: { ids: [profileIds.gpu] }, token })).status).toBe(403);
      expect((await call(putDefault, { method: "PUT", body: DEFAULT_GUEST_PROFILE, token })).status).toBe(403);
    }
    expect((await call(listProfiles, { token: viewer })).status).toBe(200);
  });
});
