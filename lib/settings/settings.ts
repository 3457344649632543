import { z } from "zod";
import type { Prisma } from "../generated/prisma/client";
import { getDb } from "../db";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { parseCidr } from "../ssh/address-policy";
import { forgetAddressPolicy } from "../scan/address-policy-cache";

const cidrList = z
  .array(
    z
      .string()
      .trim()
      .max(64)
      .refine((text) => parseCidr(text) !== null, {
        message: "must be an IPv4 or IPv6 address or CIDR, e.g. 10.0.0.0/8 or fd00::/8",
      }),
  )
  .max(256, "at most 256 ranges");

export const settingsSchema = z
  .object({
    scanIntervalMinutes: z
      .number()
      .int()
      .min(5, "the interval is at least 5 minutes")
      .max(60 * 24 * 30)
      .nullable()
      .optional(),
    workerConcurrency: z.number().int().min(1).max(512).optional(),
    // Scan network policy (issue 12): empty allow list = every address; deny wins.
    scanAllowCidrs: cidrList.optional(),
    scanDenyCidrs: cidrList.optional(),
    // Bounded history (issue 15): per host, at least the newest scan is kept (it is the host's last scan anyway).
    historyKeepScans: z.number().int().min(1, "keep at least 1 scan per host").max(10_000).optional(),
    historyKeepDays: z.number().int().min(0).max(3650, "at most 3650 days (10 years)").optional(),
  })
  .strict();

export type Settings = {
  scanIntervalMinutes: number | null;
  workerConcurrency: number;
  scanAllowCidrs: string[];
  scanDenyCidrs: string[];
  historyKeepScans: number;
  historyKeepDays: number;
};

export const HISTORY_DEFAULTS = { historyKeepScans: 20, historyKeepDays: 30 } as const;

export async function getSettings(): Promise<Settings> {
  const row = await getDb().settings.findUnique({ where: { id: "default" } });
  return {
    scanIntervalMinutes: row?.scanIntervalMinutes ?? null,
    workerConcurrency: row?.workerConcurrency ?? 32,
    scanAllowCidrs: row?.scanAllowCidrs ?? [],
    scanDenyCidrs: row?.scanDenyCidrs ?? [],
    historyKeepScans: row?.historyKeepScans ?? HISTORY_DEFAULTS.historyKeepScans,
    historyKeepDays: row?.historyKeepDays ?? HISTORY_DEFAULTS.historyKeepDays,
  };
}

// Fleet-wide scan and history settings (admin), audited as old → new. The schedule is off (null) by default.
export async function updateSettings(actor: Actor, input: z.infer<typeof settingsSchema>) {
  const before = await getSettings();
  await getDb().settings.upsert({
    where: { id: "default" },
    create: { id: "default", ...input, updatedBy: actor.label },
    update: { ...input, updatedBy: actor.label },
  });
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const [key, value] of Object.entries(input) as [keyof Settings, unknown][]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) changes[key] = { old: before[key], new: value };
  }
  await recordAudit(actor, {
    action: "settings.update",
    targetType: "settings",
    targetId: "default",
    detail: { changes } as Prisma.InputJsonValue,
  });
  forgetAddressPolicy();
  return getSettings();
}
