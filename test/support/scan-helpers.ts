import { getDb } from "../../lib/db";

// Polls the database until the scan ends (succeeded or failed), as the UI does.
export async function waitForScan(scanId: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const scan = await getDb().scan.findUniqueOrThrow({ where: { id: scanId } });
    if (scan.status === "succeeded" || scan.status === "failed") return scan;
    if (Date.now() > deadline) throw new Error(`scan ${scanId} still ${scan.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
