import { AppError } from "../../api/errors";
import { getDb } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import { registerHostSchema } from "../host-input";
import { parseAnsibleIni } from "./parse-ansible-ini";
import { parseAnsibleYaml } from "./parse-ansible-yaml";
import { parseCsvHosts } from "./parse-csv-hosts";
import {
  ImportDocumentError,
  MAX_IMPORT_ROWS,
  type ImportCandidate,
  type ImportCounts,
  type ImportPreviewInput,
  type ImportRow,
} from "./import-types";

// The same field rules as the registration form, so an imported host is exactly as valid as a typed one.
const rowSchema = registerHostSchema.pick({ name: true, address: true, port: true, username: true, tags: true });

type HostLookup = Pick<Prisma.TransactionClient, "host">;

export type ImportPlan = {
  rows: ImportRow[];
  counts: ImportCounts;
  valid: Array<ImportRow & { port: number; username: string; address: string }>;
};

export function parseImportDocument(format: ImportPreviewInput["format"], text: string): ImportCandidate[] {
  try {
    const candidates =
      format === "csv"
        ? parseCsvHosts(text)
        : format === "ansible-ini"
          ? parseAnsibleIni(text)
          : parseAnsibleYaml(text);
    if (candidates.length > MAX_IMPORT_ROWS)
      throw new ImportDocumentError(`${candidates.length} hosts; import at most ${MAX_IMPORT_ROWS} at a time`);
    if (!candidates.length) throw new ImportDocumentError("the document names no hosts");
    return candidates;
  } catch (err) {
    if (err instanceof ImportDocumentError)
      throw new AppError("invalid_document", `The ${format} document cannot be read: ${err.message}.`, 422, "text");
    throw err;
  }
}

function validate(c: ImportCandidate, defaults: ImportPreviewInput["defaults"]): Omit<ImportRow, "action"> {
  const input = {
    name: c.name,
    address: c.address ?? "",
    port: c.port ?? defaults?.port ?? 22,
    username: c.username ?? defaults?.username ?? "",
    tags: [...new Set(c.tags)],
  };
  const shown = {
    line: c.line,
    name: c.name,
    address: c.address ?? null,
    port: input.port,
    username: input.username || null,
    tags: input.tags,
  };
  if (c.problem) return { ...shown, valid: false, error: c.problem.message, field: c.problem.field };
  if (!input.username) {
    return {
      ...shown,
      valid: false,
      error: "username is required: add a user column / ansible_user, or give a default user",
      field: "username",
    };
  }
  const parsed = rowSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".") || "line";
    return { ...shown, valid: false, error: `${field}: ${issue.message}`, field };
  }
  return { ...shown, ...parsed.data, valid: true };
}

// Parses and validates a document and decides, per row, create or update (same name, else same address:port).
// Writes nothing: the preview shows this plan and the import applies it.
export async function planImport(input: ImportPreviewInput, db: HostLookup = getDb()): Promise<ImportPlan> {
  const checked = parseImportDocument(input.format, input.text).map((c) => validate(c, input.defaults));
  const names = [...new Set(checked.map((r) => r.name).filter(Boolean))];
  const addresses = [...new Set(checked.map((r) => r.address).filter((a): a is string => Boolean(a)))];
  const existing = await db.host.findMany({
    where: { OR: [{ name: { in: names } }, { address: { in: addresses } }] },
    select: { id: true, name: true, address: true, port: true },
  });
  const byName = new Map(existing.map((h) => [h.name, h]));
  const byEndpoint = new Map(existing.map((h) => [`${h.address}:${h.port}`, h]));
  const seenName = new Map<string, number>();
  const seenEndpoint = new Map<string, number>();

  const rows: ImportRow[] = checked.map((r) => {
    const endpoint = `${r.address}:${r.port}`;
    const target = byName.get(r.name) ?? byEndpoint.get(endpoint);
    const row: ImportRow = { ...r, action: target ? "update" : "create", ...(target ? { hostId: target.id } : {}) };
    if (!row.valid) return row;
    const fail = (error: string, field: string): ImportRow => ({ ...row, valid: false, error, field });
    if (seenName.has(r.name)) return fail(`name: "${r.name}" is already on line ${seenName.get(r.name)}`, "name");
    if (seenEndpoint.has(endpoint))
      return fail(`address: ${endpoint} is already on line ${seenEndpoint.get(endpoint)}`, "address");
    const holder = byEndpoint.get(endpoint);
    if (target && holder && holder.id !== target.id)
      return fail(`address: ${endpoint} already belongs to host "${holder.name}"`, "address");
    seenName.set(r.name, r.line);
    seenEndpoint.set(endpoint, r.line);
    return row;
  });
  const valid = rows.filter((r): r is ImportPlan["valid"][number] => r.valid);
  return {
    rows,
    valid,
    counts: {
      total: rows.length,
      valid: valid.length,
      invalid: rows.length - valid.length,
      create: valid.filter((r) => r.action === "create").length,
      update: valid.filter((r) => r.action === "update").length,
    },
  };
}
