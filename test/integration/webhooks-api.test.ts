import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listWebhooks, POST as createWebhook } from "@/app/api/webhooks/route";
import { DELETE as deleteWebhook, PATCH as patchWebhook } from "@/app/api/webhooks/[id]/route";
import { GET as listDeliveries } from "@/app/api/webhooks/[id]/deliveries/route";
import { POST as sendTest } from "@/app/api/webhooks/[id]/test/route";
import { resetSecretKeyCache } from "@/lib/crypto/secret-key";
import { closeDb, getDb } from "@/lib/db";
import { openWebhookSecret } from "@/lib/webhooks/webhook-secret";
import { call, resetDatabase, tokenFor } from "../support/api";

process.env.DAXBOARD_SECRET_KEY = "22".repeat(32);
const SECRET = "whsec-do-not-leak-4711";

let admin: string;
let operator: string;
let viewer: string;

const body = { name: "chat", url: "https://hooks.example.com/T1/B2", secret: SECRET, events: ["drift"] };

beforeAll(async () => {
  resetSecretKeyCache();
  await resetDatabase();
  await getDb().$executeRawUnsafe(`truncate table "Webhook" cascade`);
  [admin, operator, viewer] = await Promise.all([tokenFor("admin"), tokenFor("operator"), tokenFor("viewer")]);
});
afterAll(closeDb);

describe("webhook admin API", () => {
  it("lets only admins list, add, edit, test or delete endpoints", async () => {
    for (const token of [operator, viewer]) {
      expect((await call(listWebhooks, { token })).status).toBe(403);
      expect((await call(createWebhook, { token, body })).status).toBe(403);
      expect((await call(patchWebhook, { token, body: { name: "x" }, params: { id: "any" } })).status).toBe(403);
      expect((await call(deleteWebhook, { token, method: "DELETE", params: { id: "any" } })).status).toBe(403);
      expect((await call(sendTest, { token, method: "POST", params: { id: "any" } })).status).toBe(403);
      expect((await call(listDeliveries, { token, params: { id: "any" } })).status).toBe(403);
    }
    expect(await getDb().webhook.count()).toBe(0);
  });

  it("seals the secret and never answers it, only whether there is one", async () => {
    const created = await call(createWebhook, { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.json.webhook).toMatchObject({ name: "chat", format: "json", failureThreshold: 3, hasSecret: true });
    const id = created.json.webhook.id as string;
    const edited = await call(patchWebhook, {
      token: admin,
      method: "PATCH",
      body: { name: "chat-2", events: ["drift", "host-ready"] },
      params: { id },
    });
    expect(edited.json.webhook).toMatchObject({ name: "chat-2", hasSecret: true });
    const tested = await call(sendTest, { token: admin, method: "POST", params: { id } });
    const log = await call(listDeliveries, { token: admin, params: { id } });
    expect(log.json.deliveries).toMatchObject([{ event: "test", status: "pending", attempts: 0 }]);
    const listed = await call(listWebhooks, { token: admin });
    for (const res of [created, edited, tested, log, listed]) {
      expect(res.text).not.toContain(SECRET);
      expect(res.text).not.toMatch(/secretCiphertext|secretIv|secretAuthTag/);
    }
    // The sealed columns are omitted by default (lib/db.ts): a query must opt in to read them.
    expect(await getDb().webhook.findUniqueOrThrow({ where: { id } })).not.toHaveProperty("secretCiphertext");
    const row = await getDb().webhook.findUniqueOrThrow({
      where: { id },
      omit: { secretCiphertext: false, secretIv: false, secretAuthTag: false },
    });
    expect(Buffer.from(row.secretCiphertext!).toString("latin1")).not.toContain(SECRET);
    expect(openWebhookSecret(row)).toBe(SECRET);
    const audit = await getDb().auditEvent.findMany({ where: { targetId: id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["webhook.create", "webhook.update", "webhook.test"]);
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    const cleared = await call(patchWebhook, { token: admin, method: "PATCH", body: { secret: "" }, params: { id } });
    expect(cleared.json.webhook.hasSecret).toBe(false);
  });

  it("refuses URLs that are not http(s), unknown events and unknown formats", async () => {
    for (const bad of [
      { url: "ftp://example.com/x" },
      { url: "file:///etc/passwd" },
      { url: "https://user:pw@example.com/" },
      { events: ["coffee"] },
      { events: [] },
      { format: "xml" },
    ]) {
      const res = await call(createWebhook, { token: admin, body: { ...body, ...bad } });
      expect(res.status, JSON.stringify(bad)).toBe(422);
    }
  });

  it("re-enabling an endpoint clears why it was disabled, and deleting removes its log", async () => {
    const { json } = await call(createWebhook, { token: admin, body: { ...body, name: "gone" } });
    const id = json.webhook.id as string;
    await getDb().webhook.update({ where: { id }, data: { enabled: false, disabledReason: "410" } });
    await call(sendTest, { token: admin, method: "POST", params: { id } });
    const res = await call(patchWebhook, { token: admin, method: "PATCH", body: { enabled: true }, params: { id } });
    expect(res.json.webhook).toMatchObject({ enabled: true, disabledReason: null });
    expect((await call(deleteWebhook, { token: admin, method: "DELETE", params: { id } })).status).toBe(204);
    expect(await getDb().webhookDelivery.count({ where: { webhookId: id } })).toBe(0);
    expect((await call(listDeliveries, { token: admin, params: { id } })).status).toBe(404);
  });
});
