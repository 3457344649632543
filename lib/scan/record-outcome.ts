import type { Prisma } from "../generated/prisma/client";
import { getDb } from "../db";
import { log } from "../log";
import type { ScanError } from "../ssh/errors";
import type { ObservedHostKey } from "../ssh/types";
import type { Derived } from "./derive";
import { diffDrift } from "./drift";

type SuccessInput = {
  scanId: string;
  hostId: string;
  rawOutput: string;
  derived: Derived;
  hostKey?: ObservedHostKey;
  jumpHostKey?: ObservedHostKey;
};

const json = (v: unknown) => v as Prisma.InputJsonValue;

// A successful scan becomes the host's current state; drift against the previous good scan is recorded.
export async function recordSuccess(input: SuccessInput): Promise<void> {
  const { scanId, hostId, derived } = input;
  await getDb().$transaction(async (tx) => {
    const host = await tx.host.findUniqueOrThrow({
      where: { id: hostId },
      select: { currentScan: { select: { facts: true, verdict: true } }, jumpHostId: true, jumpAddress: true },
    });
    const drift = host.currentScan ? diffDrift(host.currentScan, derived) : null;
    const now = new Date();
    await tx.scan.update({
      where: { id: scanId },
      data: {
        status: "succeeded",
        finishedAt: now,
        rawOutput: input.rawOutput,
        facts: json(derived.facts),
        assessment: json(derived.assessment),
        rulesVersion: derived.rulesVersion,
        verdict: derived.verdict,
        drift: drift && drift.length > 0 ? json(drift) : undefined,
        errorClass: null,
        errorMessage: null,
        errorDetail: undefined,
      },
    });
    await tx.host.update({
      where: { id: hostId },
      data: {
        currentScanId: scanId,
        lastScanId: scanId,
        lastScanAt: now,
        lastScanStatus: "succeeded",
        lastErrorClass: null,
        stale: false,
        ...derived.summary,
        verdict: derived.verdict,
      },
    });
    // Trust on first use: pin only while nothing is pinned, so a concurrent re-trust is never overwritten.
    if (input.hostKey?.trust === "first-use") {
      await tx.host.updateMany({
        where: { id: hostId, hostKeyFingerprint: null },
        data: { hostKeyFingerprint: input.hostKey.fingerprint, hostKeyAlgorithm: input.hostKey.algorithm, hostKeyPinnedAt: now, hostKeyPinnedBy: "first scan (trust on first use)" },
      });
    }
    if (input.jumpHostKey?.trust === "first-use") {
      if (host.jumpHostId) {
        await tx.host.updateMany({
          where: { id: host.jumpHostId, hostKeyFingerprint: null },
          data: { hostKeyFingerprint: input.jumpHostKey.fingerprint, hostKeyAlgorithm: input.jumpHostKey.algorithm, hostKeyPinnedAt: now, hostKeyPinnedBy: "first scan (trust on first use)" },
        });
      } else if (host.jumpAddress) {
        await tx.host.updateMany({ where: { id: hostId, jumpHostKeyFingerprint: null }, data: { jumpHostKeyFingerprint: input.jumpHostKey.fingerprint } });
      }
    }
  });
}

// A failed scan never touches the current facts: the host keeps its last good verdict, marked stale.
export async function recordFailure(scanId: string, hostId: string, error: ScanError): Promise<void> {
  const now = new Date();
  await getDb().$transaction(async (tx) => {
    await tx.scan.update({
      where: { id: scanId },
      data: {
        status: "failed",
        finishedAt: now,
        errorClass: error.errorClass,
        errorMessage: error.message,
        errorDetail: json(error.details),
      },
    });
    const host = await tx.host.findUnique({ where: { id: hostId }, select: { currentScanId: true } });
    if (!host) return;
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
  });
  log.info({ scanId, hostId, errorClass: error.errorClass }, "scan failed");
}

// Between attempts of a transient failure the scan is queued again, showing why.
export async function recordRetry(scanId: string, error: ScanError): Promise<void> {
  await getDb().scan.update({
    where: { id: scanId },
    data: { status: "queued", errorClass: error.errorClass, errorMessage: `${error.message} (retrying)`, errorDetail: json(error.details) },
  });
}
