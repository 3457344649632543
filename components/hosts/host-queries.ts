"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import type { HostDto } from "@/lib/hosts/host-dto";

export type HostListParams = { page: number; pageSize: number; q?: string; tag?: string; verdict?: string; sort?: string };
export type HostList = { hosts: HostDto[]; total: number; page: number; pageSize: number };

// Query-key factory: every host query key starts with ["hosts"], so one invalidation refreshes them all.
export const hostKeys = {
  all: ["hosts"] as const,
  lists: () => [...hostKeys.all, "list"] as const,
  list: (params: HostListParams) => [...hostKeys.lists(), params] as const,
  detail: (id: string) => [...hostKeys.all, "detail", id] as const,
};

function toSearch(params: HostListParams): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") search.set(k, String(v));
  return search.toString();
}

export function useHostList(params: HostListParams) {
  return useQuery({
    queryKey: hostKeys.list(params),
    queryFn: () => apiFetch<HostList>(`/api/hosts?${toSearch(params)}`),
    placeholderData: keepPreviousData,
  });
}

export function useRegisterHost() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => apiFetch<{ host: HostDto }>("/api/hosts", { method: "POST", json: body }),
    onSettled: () => client.invalidateQueries({ queryKey: hostKeys.lists() }),
  });
}

export function useDeleteHost() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(`/api/hosts/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: hostKeys.all }),
  });
}
