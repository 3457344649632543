"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";

export type ScanSettings = {
  scanIntervalMinutes: number | null;
  workerConcurrency: number;
  scanAllowCidrs: string[];
  scanDenyCidrs: string[];
};

export const settingsKeys = {
  all: ["settings"] as const,
  scan: () => [...settingsKeys.all, "scan"] as const,
  guestProfiles: () => [...settingsKeys.all, "guest-profiles"] as const,
  reassessRun: (id: string) => [...settingsKeys.all, "reassess-run", id] as const,
};

export function useScanSettings() {
  return useQuery({
    queryKey: settingsKeys.scan(),
    queryFn: ({ signal }) => apiFetch<{ settings: ScanSettings }>("/api/settings", { signal }),
    select: (d) => d.settings,
  });
}

export function useSaveScanSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Partial<ScanSettings>) =>
      apiFetch<{ settings: ScanSettings }>("/api/settings", { method: "PUT", json: body }),
    onSuccess: (data) => client.setQueryData(settingsKeys.scan(), data),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.scan() }),
  });
}
