import { z } from "zod";
import { getDb } from "../db";
import { AppError, notFound } from "../api/errors";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import { isScanError } from "../ssh/errors";
import { deriveFromProbe } from "./derive";
import { loadGuestProfile } from "./guest-profile";
import { saveSuccess } from "./scan-store";
import { getScan } from "./list-scans";

export const importProbeOutputSchema = z.object({ output: z.string().min(1, "output is empty: upload the file the probe wrote") }).strict();

// Stores a document produced by hand with /probe.sh as an `imported` scan, parsed and assessed like any other.
export async function importProbeOutput(actor: Actor, hostId: string, output: string) {
  const host = await getDb().host.findUnique({
    where: { id: hostId },
    select: { id: true, name: true, currentScan: { select: { facts: true, verdict: true } } },
  });
  if (!host) throw notFound("Host");
  let derived;
  try {
    derived = deriveFromProbe(output, await loadGuestProfile(), null);
  } catch (err) {
    if (isScanError(err)) throw new AppError("parse_failed", `${err.message} Upload the whole file the probe wrote.`, 422, "output");
    throw err;
  }
  const scan = await getDb().scan.create({
    data: { hostId, source: "imported", status: "running", requestedBy: actor.label, startedAt: new Date() },
    select: { id: true },
  });
  await saveSuccess({ scanId: scan.id, hostId, previous: host.currentScan, rawOutput: output, derived });
  await recordAudit(actor, { action: "scan.import", hostId, hostName: host.name, targetType: "scan", targetId: scan.id });
  return getScan(scan.id);
}
