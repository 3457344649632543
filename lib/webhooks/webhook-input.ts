import { z } from "zod";
import { SUBSCRIBABLE_EVENTS } from "./events";

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "an http:// or https:// URL without user:password@ is required");

const fields = {
  name: z.string().trim().min(1, "name is required").max(100),
  url: httpUrl,
  // Empty string clears it on edit; omitted keeps the stored one.
  secret: z.string().max(500).optional(),
  format: z.enum(["json", "slack"]),
  events: z.array(z.enum(SUBSCRIBABLE_EVENTS as [string, ...string[]])).min(1, "pick at least one event"),
  failureThreshold: z.number().int("a whole number").min(1).max(100),
  enabled: z.boolean(),
};

export const createWebhookSchema = z
  .object({ ...fields, format: fields.format.default("json"), failureThreshold: fields.failureThreshold.default(3) })
  .omit({ enabled: true })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z.object(fields).partial().strict();
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;
