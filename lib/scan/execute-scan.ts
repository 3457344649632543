import { log } from "../log";
import { newBoundaryToken } from "../probe/constants";
import { isScanError, ScanError } from "../ssh/errors";
import { probeCommand } from "../ssh/probe-command";
import { runProbe } from "../ssh/run-probe";
import type { RunProbeOptions } from "../ssh/types";
import { currentAddressPolicy } from "./address-policy-cache";
import { buildTarget } from "./build-target";
import { deriveRescan } from "./derive";
import { profileFor, profileSetAt } from "./guest-profile";
import { probeScript } from "./probe-script";
import { recordFailure, recordRetry } from "./record-outcome";
import { releaseScan, ScanReleased, unlessReleased } from "./release-scans";
import { claimScan, saveScanResult } from "./scan-store";

export type ScanLimits = Pick<
  RunProbeOptions,
  "connectTimeoutMs" | "execTimeoutMs" | "scanTimeoutMs" | "maxOutputBytes"
>;

export type ExecuteOutcome = "succeeded" | "failed" | "retry" | "skipped" | "released";

// Runs one scan end to end: claim, connect, one exec, parse, assess, persist. `finalAttempt` says whether a
// transient failure may still be retried by the queue. `onSshDone` is called once the connection is closed
// (whatever the outcome), so the caller can hand the SSH slot to the next scan while this one is stored; `sshSlot`
// resolves when the caller grants this scan a slot. When `release` aborts (the worker is stopping) before the
// connection is done, the scan goes back to the queue.
export async function executeScan(
  scanId: string,
  opts: {
    finalAttempt: boolean;
    limits?: ScanLimits;
    sshSlot?: () => Promise<void>;
    onSshDone?: () => void;
    release?: AbortSignal;
  },
): Promise<ExecuteOutcome> {
  const claimed = await claimScan(scanId);
  // Deleted host, or a duplicate delivery of a scan that already ended.
  if (!claimed) return "skipped";
  const token = newBoundaryToken();
  try {
    const target = await buildTarget(claimed.hostId, claimed.host, claimed.sealed);
    const addressPolicy = await currentAddressPolicy();
    // A worker claims scans a little ahead of its SSH slots: wait for one (a stop's deadline may release it first).
    if (opts.sshSlot) await unlessReleased(opts.sshSlot(), opts.release);
    const probe = runProbe(target, {
      command: probeCommand(token),
      stdin: probeScript(),
      ...opts.limits,
      addressPolicy,
    }).finally(opts.onSshDone);
    const result = await unlessReleased(probe, opts.release);
    const guest = profileFor(await profileSetAt(claimed.guestProfilesVersion), claimed.tags);
    const derived = deriveRescan(result.stdout, guest.profile, token, claimed.current);
    await saveScanResult({
      scanId,
      hostId: claimed.hostId,
      previous: claimed.current,
      guestProfileId: guest.id,
      // PostgreSQL refuses NUL in text: store the output as the parser read it (the parse warning says what changed).
      rawOutput: derived.rawOutput,
      derived,
      hostKey: result.hostKey,
      jumpHostKey: result.jumpHostKey,
    });
    return "succeeded";
  } catch (err) {
    if (err instanceof ScanReleased) {
      await releaseScan(scanId);
      return "released";
    }
    const error = isScanError(err)
      ? err
      : new ScanError("probe-failed", "The scan failed inside DAXboard; the server log has the details.", {
          cause: err instanceof Error ? err.message.slice(0, 300) : String(err),
        });
    if (!isScanError(err)) log.error({ err, scanId }, "unexpected scan error");
    if (error.transient && !opts.finalAttempt) {
      await recordRetry(scanId, error);
      return "retry";
    }
    await recordFailure(scanId, claimed.hostId, error);
    return "failed";
  }
}
