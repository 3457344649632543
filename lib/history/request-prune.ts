import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../auth/roles";
import { getBoss, PRUNE_QUEUE } from "../scan/queue";
import { getSettings } from "../settings/settings";
import { wakePruneWorkers, type PruneJob } from "./prune-worker";

// "Prune now" (admin): queues a prune with the saved policy for the workers and answers at once; audited with the
// policy it will apply. A prune already running makes this one a no-op (see pruneHistory).
export async function requestPrune(actor: Actor): Promise<{ jobId: string | null }> {
  const settings = await getSettings();
  const boss = await getBoss();
  const jobId = await boss.send(PRUNE_QUEUE, { trigger: "admin", requestedBy: actor.label } satisfies PruneJob);
  await recordAudit(actor, {
    action: "history.prune",
    targetType: "settings",
    targetId: "default",
    detail: { keepScans: settings.historyKeepScans, keepDays: settings.historyKeepDays, jobId },
  });
  wakePruneWorkers();
  return { jobId };
}
