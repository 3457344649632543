"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { apiFetch } from "@/lib/client/api";
import type { GuestProfileList, ProfileView, ReassessRun } from "@/lib/client/dto";
import type { GuestProfile } from "@/lib/readiness/guest-profile";
import { hostKeys } from "../hosts/host-queries";
import { settingsKeys } from "./settings-queries";

export type ProfileBody = GuestProfile & { name: string; tags: string[] };

// How often a running re-assessment is polled: the run row moves as the worker stores each batch of hosts.
export const RUN_POLL_MS = 1_000;

const BASE = "/api/settings/guest-profiles";

export const isRunFinished = (run: ReassessRun | undefined) => run?.status === "succeeded" || run?.status === "failed";

export function useGuestProfiles() {
  return useQuery({
    queryKey: settingsKeys.guestProfiles(),
    queryFn: ({ signal }) => apiFetch<GuestProfileList>(BASE, { signal }),
  });
}

// Polls one run until it has succeeded or failed.
export function useReassessRun(id: string | null) {
  return useQuery({
    queryKey: settingsKeys.reassessRun(id ?? ""),
    queryFn: ({ signal }) =>
      apiFetch<ReassessRun>(`/api/settings/reassess-runs/${encodeURIComponent(id!)}`, { signal }),
    enabled: id !== null,
    refetchInterval: (query) => (isRunFinished(query.state.data) ? false : RUN_POLL_MS),
  });
}

// Every change answers with the background run it started; the list (host counts, order) is refetched after it.
function useProfileMutation<T>(request: (input: T) => Promise<{ run: ReassessRun }>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: ({ run }) => client.setQueryData(settingsKeys.reassessRun(run.id), run),
    onSettled: () => client.invalidateQueries({ queryKey: settingsKeys.guestProfiles() }),
  });
}

export function useCreateProfile() {
  return useProfileMutation((body: ProfileBody) =>
    apiFetch<{ profile: ProfileView; run: ReassessRun }>(BASE, { method: "POST", json: body }),
  );
}

export function useUpdateProfile() {
  return useProfileMutation(({ id, body }: { id: string; body: ProfileBody }) =>
    apiFetch<{ profile: ProfileView; run: ReassessRun }>(`${BASE}/${encodeURIComponent(id)}`, {
      method: "PUT",
      json: body,
    }),
  );
}

export function useDeleteProfile() {
  return useProfileMutation((id: string) =>
    apiFetch<{ run: ReassessRun }>(`${BASE}/${encodeURIComponent(id)}`, { method: "DELETE" }),
  );
}

export function useReorderProfiles() {
  return useProfileMutation((ids: string[]) =>
    apiFetch<{ run: ReassessRun }>(`${BASE}/order`, { method: "PUT", json: { ids } }),
  );
}

// Once a run has finished, verdicts and host counts may have moved: refresh every host view and the list.
export function useRefreshAfterRun() {
  const client = useQueryClient();
  return useCallback(() => {
    void client.invalidateQueries({ queryKey: hostKeys.all });
    void client.invalidateQueries({ queryKey: settingsKeys.guestProfiles() });
  }, [client]);
}
