import { getDb } from "../../lib/db";
import { deriveFromProbe, type Derived } from "../../lib/scan/derive";
import { loadProfileSet, profileFor } from "../../lib/scan/guest-profile";
import { saveSuccess } from "../../lib/scan/scan-store";
import { DEMO_FLEET, simulatedDocument } from "./sim-documents";

// Records a successful scan of a document for a host, through the worker's own save path, without SSH, judged
// against the host's guest profile as a worker would.
export async function recordDocumentScan(hostId: string, raw: string): Promise<Derived> {
  const host = await getDb().host.findUniqueOrThrow({
    where: { id: hostId },
    select: { tags: true, currentScan: { select: { facts: true, verdict: true } } },
  });
  const guest = profileFor(await loadProfileSet(), host.tags);
  const derived = deriveFromProbe(raw, guest.profile, "tok");
  const scan = await getDb().scan.create({
    data: { hostId, requestedBy: "test", status: "running" },
    select: { id: true },
  });
  await saveSuccess({
    scanId: scan.id,
    hostId,
    previous: host.currentScan,
    rawOutput: derived.rawOutput,
    derived,
    guestProfileId: guest.id,
  });
  return derived;
}

// The same for a demo-fleet profile's simulated document.
export async function recordSimulatedScan(hostId: string, profileName: string): Promise<Derived> {
  const profile = DEMO_FLEET.find((p) => p.name === profileName);
  if (!profile) throw new Error(`no demo profile ${profileName}`);
  return recordDocumentScan(hostId, simulatedDocument(profile, "tok"));
}
