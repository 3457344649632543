import { apiRoute } from "@/lib/api/route";
import { getSettings, settingsSchema, updateSettings } from "@/lib/settings/settings";

// GET /api/settings — scan schedule, worker concurrency, scan network policy and history retention
export const GET = apiRoute({ role: "viewer" }, async () => ({ settings: await getSettings() }));

// PUT /api/settings — change them (admin, audited)
export const PUT = apiRoute({ role: "admin", body: settingsSchema }, async ({ actor, body }) => ({
  settings: await updateSettings(actor, body),
}));
