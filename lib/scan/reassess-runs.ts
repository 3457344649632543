import type PgBoss from "pg-boss";
import { getDb } from "../db";
import { notFound } from "../api/errors";
import type { ReassessRun as RunRow } from "../generated/prisma/client";
import { log } from "../log";
import { RESOLVED_PROFILE_SQL } from "./guest-profile";
import { getBoss, REASSESS_QUEUE } from "./queue";
import { reassessFleet, type ReassessScope } from "./reassess";
import { onWake, wakeWorkers } from "./wake";

export type ReassessJob = { runId: string; scope: ReassessScope };

export type ReassessRunDto = {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed";
  reason: string;
  total: number | null;
  done: number;
  verdictChanged: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
};

export function toRunDto(run: RunRow): ReassessRunDto {
  return {
    id: run.id,
    status: run.status,
    reason: run.reason,
    total: run.total,
    done: run.done,
    verdictChanged: run.verdictChanged,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error,
  };
}

// Records a re-assessment and queues it for a worker: a profile change answers at once and the hosts it covers are
// re-derived in the background, with progress in the run row.
export async function queueReassessRun(reason: string, profileId: string | null, scope: ReassessScope) {
  const run = await getDb().reassessRun.create({ data: { reason, profileId } });
  try {
    const boss = await getBoss();
    await boss.send(REASSESS_QUEUE, { runId: run.id, scope } satisfies ReassessJob, { id: crypto.randomUUID() });
    wakeWorkers();
  } catch (err) {
    const error = `The re-assessment could not be queued: ${err instanceof Error ? err.message : String(err)}`;
    return toRunDto(await getDb().reassessRun.update({ where: { id: run.id }, data: { status: "failed", error } }));
  }
  return toRunDto(run);
}

// After hosts' tags changed: when one of them is now covered by another profile than the one that judged it,
// the hosts so moved are re-assessed in the background (one cheap query when none moved).
export async function reassessIfProfileMoved(hostIds: string[]): Promise<ReassessRunDto | null> {
  if (!hostIds.length) return null;
  const [{ moved }] = await getDb().$queryRaw<{ moved: boolean }[]>`
    select exists (select 1 from "Host" h where h.id = any(${hostIds}::text[]) and h."currentScanId" is not null
      and h."guestProfileId" is distinct from ${RESOLVED_PROFILE_SQL}) as moved`;
  return moved ? queueReassessRun("host tags changed", null, { kind: "moved" }) : null;
}

export async function getReassessRun(id: string): Promise<ReassessRunDto> {
  const run = await getDb().reassessRun.findUnique({ where: { id } });
  if (!run) throw notFound("Re-assessment run");
  return toRunDto(run);
}

// The newest run still queued or running, for the settings page's progress bar.
export async function activeReassessRun(): Promise<ReassessRunDto | null> {
  const run = await getDb().reassessRun.findFirst({
    where: { status: { in: ["queued", "running"] } },
    orderBy: { createdAt: "desc" },
  });
  return run ? toRunDto(run) : null;
}

// Prisma's messages open with the invocation over several lines; the database's own message is what a person needs.
function readable(err: unknown): string {
  const cause = (err as { meta?: { driverAdapterError?: { cause?: { message?: unknown } } } }).meta?.driverAdapterError
    ?.cause?.message;
  if (typeof cause === "string") return cause.slice(0, 500);
  const lines = (err instanceof Error ? err.message : String(err)).split("\n").filter((l) => l.trim());
  return (lines[lines.length - 1] ?? "unknown error").trim().slice(0, 500);
}

// Runs one queued re-assessment, writing progress after every batch. A failure ends the run as failed with the
// reason; it is not retried (the next profile change queues a new run over the same hosts).
export async function runReassessJob({ runId, scope }: ReassessJob): Promise<void> {
  const db = getDb();
  const started = await db.reassessRun.updateMany({
    where: { id: runId, status: { in: ["queued", "running"] } },
    data: { status: "running", startedAt: new Date(), done: 0, verdictChanged: 0 },
  });
  if (started.count === 0) return;
  try {
    await reassessFleet({
      scope,
      onProgress: async ({ total, done, verdictChanged }) => {
        await db.reassessRun.update({ where: { id: runId }, data: { total, done, verdictChanged } });
      },
    });
    await db.reassessRun.update({ where: { id: runId }, data: { status: "succeeded", finishedAt: new Date() } });
  } catch (err) {
    log.warn({ err: String(err), runId }, "re-assessment failed");
    await db.reassessRun.update({
      where: { id: runId },
      data: { status: "failed", finishedAt: new Date(), error: `Re-assessment failed: ${readable(err)}` },
    });
  }
}

// Re-assessment jobs on this process's pg-boss, beside the scan workers (in the app and in `npm run worker`). The
// returned stop takes no new run and waits for the one in progress up to `deadlineMs`; a run still going then is
// failed back to the queue by pg-boss's own stop and starts over on the next worker (runs are idempotent).
export async function startReassessWorker(boss: PgBoss): Promise<(deadlineMs?: number) => Promise<void>> {
  let busy: Promise<void> | null = null;
  const workerId = await boss.work<ReassessJob>(REASSESS_QUEUE, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
    busy = (async () => {
      for (const job of jobs) await runReassessJob(job.data);
    })();
    try {
      await busy;
    } finally {
      busy = null;
    }
  });
  // A run queued in any process starts at once instead of at the next poll (wake.ts).
  const unsubscribe = onWake(() => boss.notifyWorker(workerId));
  return async (deadlineMs = Infinity) => {
    unsubscribe();
    await boss.offWork({ id: workerId }).catch(() => undefined);
    const running: Promise<void> | null = busy;
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = Number.isFinite(deadlineMs)
      ? new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)))
      : new Promise<void>(() => undefined);
    await Promise.race([running.catch(() => undefined), deadline]);
    clearTimeout(timer);
  };
}
