import "server-only";
import type { Prisma } from "../../generated/prisma/client";
import { AppError } from "../../api/errors";
import { roleAtLeast, type Actor } from "../../auth/roles";
import { recordAudit } from "../../audit/record-audit";
import { getDb } from "../../db";
import { reassessIfProfileMoved } from "../../scan/reassess-runs";
import { storeCredential } from "../credentials";
import type { ImportHostsInput, ImportRow } from "./import-types";
import { planImport } from "./plan-import";
import { movedHostColumns, type Change } from "../move-host";
import { verifyKeyAuth } from "../verify-key-auth";

export type ImportResult = { created: number; updated: number; invalid: ImportRow[] };

// Imports every valid row in one transaction: new hosts get the given auth (a credential each, as registration
// does, so editing one host's key never touches another's); existing hosts get their name, address, port, user
// and tags from the document (the inventory is the source of truth) and keep their credential; moving one to a
// new address or port is an admin action, and a new address holds its credential for review. Invalid rows are
// returned, never dropped silently. One audit event per host.
export async function importHosts(actor: Actor, input: ImportHostsInput): Promise<ImportResult> {
  await verifyKeyAuth(input.auth, "auth");
  const retagged: string[] = [];
  const result = await getDb().$transaction(
    async (tx) => {
      // Planned again inside the transaction, so the create/update decision matches what is written.
      const plan = await planImport(input, tx);
      let created = 0;
      let updated = 0;
      // Updates first: a renamed host frees its old name before a new host takes it.
      const updates = plan.valid.filter((r) => r.action === "update");
      const existing = new Map(
        (
          await tx.host.findMany({
            where: { id: { in: updates.map((r) => r.hostId!) } },
            select: {
              id: true,
              name: true,
              address: true,
              port: true,
              username: true,
              tags: true,
              authMethod: true,
              hostKeyFingerprint: true,
              credentialReviewRequired: true,
            },
          })
        ).map((h) => [h.id, h]),
      );
      // Moving an existing host decides where its stored secret goes: admins only, as in PATCH (issue 12).
      const moving = updates.filter((r) => {
        const before = existing.get(r.hostId!);
        return before && (before.address !== r.address || before.port !== r.port);
      });
      if (moving.length > 0 && !roleAtLeast(actor.role, "admin")) {
        const names = moving
          .slice(0, 5)
          .map((r) => `${r.name} (line ${r.line})`)
          .join(", ");
        throw new AppError(
          "forbidden",
          `This import would move ${moving.length} existing host(s) to a new address or port: ${names}${moving.length > 5 ? ", …" : ""}. ` +
            "That decides where their stored secrets are sent, so it needs the admin role.",
          403,
        );
      }
      for (const row of updates) {
        const before = existing.get(row.hostId!);
        const data: Record<string, unknown> = {
          name: row.name,
          address: row.address,
          port: row.port,
          username: row.username,
          tags: row.tags,
        };
        const changes: Record<string, Change> = {};
        for (const key of ["name", "address", "port", "username", "tags"] as const) {
          if (before && JSON.stringify(before[key]) !== JSON.stringify(row[key]))
            changes[key] = { old: before[key], new: row[key] };
        }
        if (changes.tags) retagged.push(row.hostId!);
        // A new address drops the pinned key and holds the credential until an admin confirms it there.
        if (before && before.address !== row.address) {
          const moved = movedHostColumns(before, true);
          Object.assign(data, moved.data);
          Object.assign(changes, moved.changes);
        }
        await tx.host.update({ where: { id: row.hostId! }, data, select: { id: true } });
        await recordAudit(
          actor,
          {
            action: "host.update",
            hostId: row.hostId,
            hostName: row.name,
            targetType: "host",
            targetId: row.hostId,
            detail: { via: "import", format: input.format, line: row.line, changes } as Prisma.InputJsonValue,
          },
          tx,
        );
        updated++;
      }
      for (const row of plan.valid.filter((r) => r.action === "create")) {
        const credentialId = await storeCredential(input.auth, tx);
        const host = await tx.host.create({
          data: {
            name: row.name,
            address: row.address,
            port: row.port,
            username: row.username,
            tags: row.tags,
            authMethod: input.auth.type,
            credentialId,
          },
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
            detail: {
              via: "import",
              format: input.format,
              line: row.line,
              address: row.address,
              port: row.port,
              auth: input.auth.type,
            },
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
  // New tags may put hosts under another guest profile: their verdicts follow without a rescan.
  await reassessIfProfileMoved(retagged);
  return result;
}
