import type PgBoss from "pg-boss";
import { getDb } from "../db";
import { SCAN_QUEUE } from "./queue";

// Thrown into a scan whose worker is stopping and whose deadline has passed: the scan goes back to the queue.
export class ScanReleased extends Error {
  constructor() {
    super("the worker is stopping: scan returned to the queue");
  }
}

// `work` (the SSH part of a scan), cut short when `release` aborts. The connection itself is left to close with the
// process; its late result or error is dropped, so nothing but the release is recorded for the scan.
export function unlessReleased<T>(work: Promise<T>, release?: AbortSignal): Promise<T> {
  if (!release) return work;
  return new Promise<T>((resolve, reject) => {
    const onRelease = () => {
      work.catch(() => undefined);
      reject(new ScanReleased());
    };
    if (release.aborted) return onRelease();
    release.addEventListener("abort", onRelease, { once: true });
    work.then(
      (value) => {
        release.removeEventListener("abort", onRelease);
        resolve(value);
      },
      (err: unknown) => {
        release.removeEventListener("abort", onRelease);
        reject(err);
      },
    );
  });
}

// The scan row goes back to queued as if it had not started: the attempt was cut off by the stop, not by the host,
// so it does not count. Only a running scan is touched (one a late save already ended stays ended).
export async function releaseScan(scanId: string): Promise<void> {
  await getDb().$executeRaw`
    update "Scan" set status = 'queued', "startedAt" = null, attempts = greatest(attempts - 1, 0)
    where id = ${scanId} and status = 'running'`;
}

// Their jobs become available at once to any worker (this one's successor after a restart, or another machine's).
// cancel + resume is pg-boss's way to put an active job back to created, due now; fail would delay it by the retry
// backoff and, on a last attempt, end the job and leave the scan to the reaper. Called after releaseScan, so the
// worker that fetches a job finds its scan queued.
export async function releaseJobs(boss: PgBoss, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await boss.cancel(SCAN_QUEUE, jobIds);
  await boss.resume(SCAN_QUEUE, jobIds);
}
