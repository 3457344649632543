"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import type { HistoryOverview } from "@/lib/history/history-stats";
import { settingsKeys } from "./settings-queries";

// GET /api/settings/history answers lib/history/history-stats.ts's overview as is (its dates are already strings);
// the import is type-only, so no server code reaches the browser.
export type { HistoryOverview };

export type HistoryPolicy = { historyKeepScans: number; historyKeepDays: number };

const historyKey = [...settingsKeys.all, "history"] as const;

// While a requested prune has not ended, the overview is read again every few seconds.
export function useHistoryOverview(waitingForPrune: boolean) {
  return useQuery({
    queryKey: historyKey,
    queryFn: ({ signal }) => apiFetch<HistoryOverview>("/api/settings/history", { signal }),
    refetchInterval: waitingForPrune ? 2000 : false,
  });
}

// The policy lives with the other settings (PUT /api/settings, validated and audited there).
export function useSaveHistoryPolicy() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: HistoryPolicy) => apiFetch("/api/settings", { method: "PUT", json: body }),
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: historyKey }),
        client.invalidateQueries({ queryKey: settingsKeys.scan() }),
      ]),
  });
}

// A prune of a pruned history ends within a second or so: read the overview again at once, then poll.
export function usePruneNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ queued: boolean; jobId: string | null }>("/api/settings/history/prune", { method: "POST" }),
    onSuccess: () => client.invalidateQueries({ queryKey: historyKey }),
  });
}
