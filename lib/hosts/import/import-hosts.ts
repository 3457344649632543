import "server-only";
import type { Actor } from "../../auth/roles";
import { recordAudit } from "../../audit/record-audit";
import { getDb } from "../../db";
import { storeCredential } from "../credentials";
import type { ImportHostsInput, ImportRow } from "./import-types";
import { planImport } from "./plan-import";

export type ImportResult = { created: number; updated: number; invalid: ImportRow[] };

// Imports every valid row in one transaction: new hosts get the given auth (a credential each, as registration
// does, so editing one host's key never touches another's); existing hosts get their name, address, port, user
// and tags from the document (the inventory is the source of truth) and keep their credential. Invalid rows are
// returned, never dropped silently. One audit event per host.
export async function importHosts(actor: Actor, input: ImportHostsInput): Promise<ImportResult> {
  return getDb().$transaction(
    async (tx) => {
      // Planned again inside the transaction, so the create/update decision matches what is written.
      const plan = await planImport(input, tx);
      let created = 0;
      let updated = 0;
      // Updates first: a renamed host frees its old name before a new host takes it.
      for (const row of plan.valid.filter((r) => r.action === "update")) {
        const data = { name: row.name, address: row.address, port: row.port, username: row.username, tags: row.tags };
        await tx.host.update({ where: { id: row.hostId! }, data, select: { id: true } });
        await recordAudit(
          actor,
          { action: "host.update", hostId: row.hostId, hostName: row.name, targetType: "host", targetId: row.hostId, detail: { via: "import", format: input.format, line: row.line } },
          tx,
        );
        updated++;
      }
      for (const row of plan.valid.filter((r) => r.action === "create")) {
        const credentialId = await storeCredential(input.auth, tx);
        const host = await tx.host.create({
          data: { name: row.name, address: row.address, port: row.port, username: row.username, tags: row.tags, authMethod: input.auth.type, credentialId },
          select: { id: true },
        });
        await recordAudit(
          actor,
          {
            action: "host.register",
            hostId: host.id,
            hostName: row.name,
            targetType: "host",
            targetId: host.id,
            detail: { via: "import", format: input.format, line: row.line, address: row.address, port: row.port, auth: input.auth.type },
          },
          tx,
        );
        created++;
      }
      return { created, updated, invalid: plan.rows.filter((r) => !r.valid) };
    },
    // Thousands of rows take longer than Prisma's 5 s default for interactive transactions.
    { timeout: 120_000, maxWait: 10_000 },
  );
}
