import { z } from "zod";
import { getDb } from "../db";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";

export const settingsSchema = z
  .object({
    scanIntervalMinutes: z.number().int().min(5, "the interval is at least 5 minutes").max(60 * 24 * 30).nullable().optional(),
    workerConcurrency: z.number().int().min(1).max(512).optional(),
  })
  .strict();

export async function getSettings() {
  const row = await getDb().settings.findUnique({ where: { id: "default" } });
  return { scanIntervalMinutes: row?.scanIntervalMinutes ?? null, workerConcurrency: row?.workerConcurrency ?? 32 };
}

// Fleet-wide scan settings (admin). The schedule is off (null) by default.
export async function updateSettings(actor: Actor, input: z.infer<typeof settingsSchema>) {
  await getDb().settings.upsert({
    where: { id: "default" },
    create: { id: "default", ...input, updatedBy: actor.label },
    update: { ...input, updatedBy: actor.label },
  });
  await recordAudit(actor, { action: "settings.update", targetType: "settings", targetId: "default", detail: input });
  return getSettings();
}
