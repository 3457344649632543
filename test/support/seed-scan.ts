import { getDb } from "../../lib/db";
import { DEFAULT_GUEST_PROFILE } from "../../lib/readiness";
import { deriveFromProbe, type Derived } from "../../lib/scan/derive";
import { saveSuccess } from "../../lib/scan/scan-store";
import { DEMO_FLEET, simulatedDocument } from "./sim-documents";

// Records a successful scan of a demo-fleet profile for a host, through the worker's own save path, without SSH.
export async function recordSimulatedScan(hostId: string, profileName: string): Promise<Derived> {
  const profile = DEMO_FLEET.find((p) => p.name === profileName);
  if (!profile) throw new Error(`no demo profile ${profileName}`);
  const raw = simulatedDocument(profile, "tok");
  const derived = deriveFromProbe(raw, DEFAULT_GUEST_PROFILE, "tok");
  const host = await getDb().host.findUniqueOrThrow({
    where: { id: hostId },
    select: { currentScan: { select: { facts: true, verdict: true } } },
  });
  const scan = await getDb().scan.create({
    data: { hostId, requestedBy: "test", status: "running" },
    select: { id: true },
  });
  await saveSuccess({ scanId: scan.id, hostId, previous: host.currentScan, rawOutput: raw, derived });
  return derived;
}
