"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import type { GuestProfile } from "@/lib/readiness/guest-profile";
import { hostKeys } from "../hosts/host-queries";

// What saving the profile did: hosts re-assessed from stored facts, and how many changed verdict.
export type ReassessResult = { hosts: number; verdictChanged: number; durationMs: number };

export type ScanSettings = {
  scanIntervalMinutes: number | null;
  workerConcurrency: number;
  scanAllowCidrs: string[];
  scanDenyCidrs: string[];
};

export const settingsKeys = {
  all: ["settings"] as const,
  scan: () => [...settingsKeys.all, "scan"] as const,
  guestProfile: () => [...settingsKeys.all, "guest-profile"] as const,
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

export function useGuestProfile() {
  return useQuery({
    queryKey: settingsKeys.guestProfile(),
    queryFn: ({ signal }) => apiFetch<{ profile: GuestProfile }>("/api/settings/guest-profile", { signal }),
    select: (d) => d.profile,
  });
}

// Saving the profile re-assesses every host from its stored facts (no rescan), so all host views refresh.
export function useSaveGuestProfile() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (profile: GuestProfile) =>
      apiFetch<{ profile: GuestProfile; reassessed: ReassessResult }>("/api/settings/guest-profile", {
        method: "PUT",
        json: profile,
      }),
    onSuccess: (data) => client.setQueryData(settingsKeys.guestProfile(), { profile: data.profile }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: settingsKeys.guestProfile() });
      void client.invalidateQueries({ queryKey: hostKeys.all });
    },
  });
}
