import { z } from "zod";
import { getDb } from "../db";
import { AppError, notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { log } from "../log";
import { isScanError, ScanError } from "../ssh/errors";
import { deriveFromProbe } from "./derive";
import { loadProfileSet, profileFor } from "./guest-profile";
import { recordFailure } from "./record-outcome";
import { saveSuccess } from "./scan-store";
import { getScan } from "./list-scans";

export const importProbeOutputSchema = z
  .object({ output: z.string().min(1, "output is empty: upload the file the probe wrote") })
  .strict();

const scanActive = () =>
  new AppError(
    "scan_active",
    "This host has a scan queued or running; import the document once it has finished (or wait for it to fail).",
    409,
  );

// Stores a document produced by hand with /probe.sh as an `imported` scan, parsed and assessed like any other.
// The stored raw output is the cleaned text the facts came from (NUL removed, lone surrogates replaced), since
// PostgreSQL refuses both. The scan row exists only once the document has parsed, and a failure to store it ends
// the scan as failed: a scan left running would hold the host's one active-scan slot and block every rescan (a
// request that dies half-way is ended by reapLostScans).
export async function importProbeOutput(actor: Actor, hostId: string, output: string) {
  const host = await getDb().host.findUnique({
    where: { id: hostId },
    select: { id: true, name: true, tags: true, currentScan: { select: { facts: true, verdict: true } } },
  });
  if (!host) throw notFound("Host");
  const guest = profileFor(await loadProfileSet(), host.tags);
  let derived;
  try {
    derived = deriveFromProbe(output, guest.profile, null);
  } catch (err) {
    if (isScanError(err))
      throw new AppError("parse_failed", `${err.message} Upload the whole file the probe wrote.`, 422, "output");
    throw err;
  }
  const scan = await createImportedScan(actor, hostId);
  try {
    await saveSuccess({
      scanId: scan.id,
      hostId,
      previous: host.currentScan,
      rawOutput: derived.rawOutput,
      derived,
      guestProfileId: guest.id,
    });
  } catch (err) {
    log.error({ err, scanId: scan.id, hostId }, "storing an imported probe document failed");
    await recordFailure(
      scan.id,
      hostId,
      new ScanError("probe-failed", "Storing the imported document failed; the server log has the details.", {
        cause: err instanceof Error ? err.message.slice(0, 300) : String(err),
      }),
    );
    throw new AppError(
      "import_failed",
      "The document was read but could not be stored; the server log has the details.",
      500,
    );
  }
  await recordAudit(actor, {
    action: "scan.import",
    hostId,
    hostName: host.name,
    targetType: "scan",
    targetId: scan.id,
  });
  return getScan(scan.id);
}

// A host has at most one queued or running scan (the partial unique index Scan_one_active_per_host): an import
// while an SSH scan is active is refused with a 409 instead of surfacing the unique violation.
async function createImportedScan(actor: Actor, hostId: string): Promise<{ id: string }> {
  try {
    return await getDb().scan.create({
      data: { hostId, source: "imported", status: "running", requestedBy: actor.label, startedAt: new Date() },
      select: { id: true },
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw scanActive();
    throw err;
  }
}
