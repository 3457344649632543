import type { Prisma } from "../generated/prisma/client";
import { getDb } from "../db";
import { log } from "../log";
import { cleanJsonStrings, cleanProbeText } from "../probe/clean-text";
import type { ScanError } from "../ssh/errors";
import { emitFailureEvents } from "../webhooks/failure-events";

// Messages and details carry a host's stderr and PostgreSQL refuses NUL and lone surrogates in text and jsonb: a
// refused failure record would leave the scan running for ever, so they are cleaned like probe output.
const json = (v: unknown) => cleanJsonStrings(v) as Prisma.InputJsonValue;
const text = (s: string) => cleanProbeText(s).text;

// A failed scan never touches the current facts: the host keeps its last good verdict, marked stale.
export async function recordFailure(scanId: string, hostId: string, error: ScanError): Promise<void> {
  const now = new Date();
  const notify = await getDb().$transaction(async (tx) => {
    await tx.scan.update({
      where: { id: scanId },
      data: {
        status: "failed",
        finishedAt: now,
        errorClass: error.errorClass,
        errorMessage: text(error.message),
        errorDetail: json(error.details),
      },
    });
    const host = await tx.host.findUnique({
      where: { id: hostId },
      select: { currentScanId: true, lastErrorClass: true },
    });
    if (!host) return () => undefined;
    await tx.host.update({
      where: { id: hostId },
      data: {
        lastScanId: scanId,
        lastScanAt: now,
        lastScanStatus: "failed",
        lastErrorClass: error.errorClass,
        stale: host.currentScanId !== null,
        ...(host.currentScanId === null ? { verdict: "unknown" } : {}),
      },
    });
    // Alerts commit with the failure they report (lib/webhooks sends them from their own queue, never here).
    return emitFailureEvents(tx, {
      scanId,
      hostId,
      errorClass: error.errorClass,
      previousErrorClass: host.lastErrorClass,
    });
  });
  notify();
  log.info({ scanId, hostId, errorClass: error.errorClass }, "scan failed");
}

// Between attempts of a transient failure the scan is queued again, showing why.
export async function recordRetry(scanId: string, error: ScanError): Promise<void> {
  await getDb().scan.update({
    where: { id: scanId },
    data: {
      status: "queued",
      errorClass: error.errorClass,
      errorMessage: text(`${error.message} (retrying)`),
      errorDetail: json(error.details),
    },
  });
}
