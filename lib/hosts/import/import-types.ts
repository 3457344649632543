import { z } from "zod";
import { authSchema, portSchema, usernameSchema } from "../host-input";

export const IMPORT_FORMATS = ["csv", "ansible-ini", "ansible-yaml"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

// A host as read from the document, before validation. Values stay as written (strings) so the preview can
// show exactly what was in the file next to the reason it is invalid.
export type ImportCandidate = {
  line: number;
  name: string;
  address?: string;
  port?: string;
  username?: string;
  tags: string[];
  problem?: { message: string; field: string }; // the parser already knows the row is broken
};

export type ImportRow = {
  line: number;
  name: string;
  address: string | null;
  port: number | string | null;
  username: string | null;
  tags: string[];
  valid: boolean;
  error?: string;
  field?: string;
  action: "create" | "update";
  hostId?: string; // the host an update targets
};

export type ImportCounts = { total: number; valid: number; invalid: number; create: number; update: number };

// A document the parser cannot read at all (bad YAML, no header): reported once, with its line.
export class ImportDocumentError extends Error {
  constructor(
    message: string,
    readonly line: number | null = null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = "ImportDocumentError";
  }
}

export const MAX_IMPORT_ROWS = 10_000;

const defaultsSchema = z.object({ username: usernameSchema.optional(), port: portSchema.optional() }).strict();

export const importPreviewSchema = z
  .object({
    format: z.enum(IMPORT_FORMATS, { message: `format must be one of ${IMPORT_FORMATS.join(", ")}` }),
    text: z.string().min(1, "the document is empty"),
    defaults: defaultsSchema.optional(),
  })
  .strict();

export const importHostsSchema = importPreviewSchema.extend({ auth: authSchema }).strict();

export type ImportPreviewInput = z.infer<typeof importPreviewSchema>;
export type ImportHostsInput = z.infer<typeof importHostsSchema>;
