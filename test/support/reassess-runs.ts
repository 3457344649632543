import { GET as getRun } from "@/app/api/settings/reassess-runs/[id]/route";
import { getBoss, stopBoss } from "@/lib/scan/queue";
import { startReassessWorker } from "@/lib/scan/reassess-runs";
import { call } from "./api";

// The background re-assessment worker alone (no scan workers), as the app runs it in-process.
export async function startReassessWorkerForTest(): Promise<() => Promise<void>> {
  const stop = await startReassessWorker(await getBoss());
  return async () => {
    await stop();
    await stopBoss();
  };
}

// Polls GET /api/settings/reassess-runs/:id until the run has ended; returns the last answer's run.
export async function waitForRun(token: string, runId: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call(getRun, { path: `/api/settings/reassess-runs/${runId}`, params: { id: runId }, token });
    if (res.status !== 200) throw new Error(`GET reassess-run ${runId}: ${res.status} ${res.text}`);
    if (res.json.status === "succeeded" || res.json.status === "failed") return res.json;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${res.json.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
