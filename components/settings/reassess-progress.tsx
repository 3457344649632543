"use client";

import { useEffect, useRef } from "react";
import type { ReassessRun } from "@/lib/client/dto";
import { Alert } from "../ui/alert";
import { isRunFinished, useReassessRun, useRefreshAfterRun } from "./guest-profile-queries";

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;

function Outcome({ run }: { run: ReassessRun }) {
  if (run.status === "failed") return <Alert>Re-assessment failed: {run.error ?? "the worker gave no reason"}.</Alert>;
  return (
    <Alert tone="success">
      Re-assessed {plural(run.done, "host")} from their stored facts, without rescanning;{" "}
      {plural(run.verdictChanged, "host")} changed verdict.
    </Alert>
  );
}

// The background re-assessment a profile change started: a progress bar while it runs, then what it did. Host
// views refresh once it is done, since verdicts and best paths may have moved.
export function ReassessProgress({ runId }: { runId: string }) {
  const query = useReassessRun(runId);
  const refresh = useRefreshAfterRun();
  const run = query.data;
  const finished = isRunFinished(run);
  const refreshed = useRef<string | null>(null);
  useEffect(() => {
    if (finished && refreshed.current !== runId) {
      refreshed.current = runId;
      refresh();
    }
  }, [finished, runId, refresh]);

  if (query.error) return <Alert>Could not follow the re-assessment: {query.error.message}</Alert>;
  if (!run) return null;
  return (
    <div className="space-y-2" data-testid="reassess-run" data-status={run.status}>
      <p className="text-sm text-slate-600 dark:text-slate-400">{run.reason}</p>
      {finished ? (
        <Outcome run={run} />
      ) : (
        <div className="space-y-1">
          <progress
            className="h-2 w-full"
            aria-label="Re-assessment progress"
            max={run.total ?? undefined}
            value={run.total === null ? undefined : run.done}
          />
          <p className="text-sm tabular-nums" aria-live="polite" data-testid="reassess-count">
            {run.total === null
              ? run.status === "queued"
                ? "Re-assessment queued…"
                : "Counting the hosts to re-assess…"
              : `Re-assessing: ${run.done.toLocaleString()} / ${run.total.toLocaleString()} hosts`}
          </p>
        </div>
      )}
    </div>
  );
}
