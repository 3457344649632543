"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import { isActiveStatus, type FleetHost, type HostList, type ScanDetail, type ScanView } from "@/lib/client/dto";
import { filterQuery, type FleetParams } from "@/lib/client/fleet-params";

// Query-key factory: every host query key starts with ["hosts"], so one invalidation refreshes them all
// (the fleet summary lives under it too, see fleet-queries.ts).
export const hostKeys = {
  all: ["hosts"] as const,
  lists: () => [...hostKeys.all, "list"] as const,
  list: (params: FleetParams) => [...hostKeys.lists(), params] as const,
  detail: (id: string) => [...hostKeys.all, "detail", id] as const,
  scans: (id: string) => [...hostKeys.all, "scans", id] as const,
  scan: (scanId: string) => [...hostKeys.all, "scan", scanId] as const,
};

// Poll only while something is in flight; an idle fleet costs no requests.
export const LIVE_POLL_MS = 1_500;

export type InitialHostList = { params: FleetParams; data: HostList };

const sameParams = (a: FleetParams, b: FleetParams) => JSON.stringify(a) === JSON.stringify(b);

// `initial` is the page the server rendered; it seeds the cache only for the view it was read for.
export function useHostList(params: FleetParams, initial?: InitialHostList) {
  return useQuery({
    initialData: initial && sameParams(initial.params, params) ? initial.data : undefined,
    queryKey: hostKeys.list(params),
    queryFn: ({ signal }) =>
      apiFetch<HostList>(
        `/api/hosts?${filterQuery(params.filters, { sort: params.sort, page: params.page, pageSize: params.pageSize })}`,
        { signal },
      ),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.hosts.some((h) => isActiveStatus(h.activeScan?.status)) ? LIVE_POLL_MS : false,
  });
}

export function useHost(id: string, initial?: FleetHost) {
  return useQuery({
    queryKey: hostKeys.detail(id),
    queryFn: ({ signal }) => apiFetch<{ host: FleetHost }>(`/api/hosts/${encodeURIComponent(id)}`, { signal }),
    initialData: initial ? { host: initial } : undefined,
    select: (data) => data.host,
  });
}

export function useHostScans(id: string) {
  return useQuery({
    queryKey: hostKeys.scans(id),
    queryFn: ({ signal }) =>
      apiFetch<{ scans: ScanView[] }>(`/api/hosts/${encodeURIComponent(id)}/scans?limit=50`, { signal }),
    select: (data) => data.scans,
    refetchInterval: (query) => (query.state.data?.scans.some((s) => isActiveStatus(s.status)) ? LIVE_POLL_MS : false),
  });
}

export function useScanDetail(scanId: string | null | undefined) {
  return useQuery({
    queryKey: hostKeys.scan(scanId ?? "none"),
    queryFn: ({ signal }) =>
      apiFetch<{ scan: ScanDetail }>(`/api/scans/${encodeURIComponent(scanId ?? "")}`, { signal }),
    enabled: Boolean(scanId),
    select: (data) => data.scan,
    // A finished scan's facts never change, but a guest-profile change re-assesses it in place.
    staleTime: 60_000,
  });
}

function placeholderScan(hostId: string): ScanView {
  const now = new Date().toISOString();
  return {
    id: `optimistic-${hostId}`,
    hostId,
    status: "queued",
    source: "ssh",
    requestedBy: "you",
    createdAt: now,
    startedAt: null,
    finishedAt: null,
    attempts: 0,
    errorClass: null,
    errorMessage: null,
    rulesVersion: null,
    verdict: null,
    drift: null,
    error: null,
    optimistic: true,
  };
}

function markRowsActive(client: QueryClient, hostIds: Set<string>, active: (id: string) => FleetHost["activeScan"]) {
  client.setQueriesData<HostList>({ queryKey: hostKeys.lists() }, (old) =>
    old ? { ...old, hosts: old.hosts.map((h) => (hostIds.has(h.id) ? { ...h, activeScan: active(h.id) } : h)) } : old,
  );
}

// Rescan one host: the history shows "queued" at once; the server's scan replaces the placeholder, and an error
// restores the history as it was. Polling (useHostScans) then follows it to done or failed.
export function useRescan(hostId: string) {
  const client = useQueryClient();
  const key = hostKeys.scans(hostId);
  return useMutation({
    mutationFn: () =>
      apiFetch<{ scan: ScanView; created: boolean }>(`/api/hosts/${encodeURIComponent(hostId)}/scans`, {
        method: "POST",
      }),
    onMutate: async () => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<{ scans: ScanView[] }>(key);
      client.setQueryData<{ scans: ScanView[] }>(key, (old) => ({
        scans: [placeholderScan(hostId), ...(old?.scans ?? [])],
      }));
      return { previous };
    },
    onSuccess: ({ scan }) => {
      client.setQueryData<{ scans: ScanView[] }>(key, (old) => ({
        scans: [scan, ...(old?.scans ?? []).filter((s) => !s.optimistic && s.id !== scan.id)],
      }));
    },
    onError: (_err, _vars, context) => client.setQueryData(key, context?.previous),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
}

export type BulkRescanInput = { hostIds: string[] } | { filter: { q?: string; tag?: string; verdict?: string } };
export type BulkRescanResult = {
  requested: number;
  created: number;
  scans: Pick<ScanView, "id" | "hostId" | "status">[];
};

// Bulk rescan from the fleet table: selected rows show "queued" at once (which also starts the table's polling).
export function useBulkRescan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: BulkRescanInput) => apiFetch<BulkRescanResult>("/api/scans", { method: "POST", json: input }),
    onMutate: async (input) => {
      if (!("hostIds" in input)) return { previous: [] };
      await client.cancelQueries({ queryKey: hostKeys.lists() });
      const previous = client.getQueriesData<HostList>({ queryKey: hostKeys.lists() });
      markRowsActive(client, new Set(input.hostIds), (id) => ({ id: `optimistic-${id}`, status: "queued" }));
      return { previous };
    },
    onSuccess: ({ scans }) => {
      const byHost = new Map(scans.map((s) => [s.hostId, s]));
      markRowsActive(client, new Set(byHost.keys()), (id) => {
        const scan = byHost.get(id);
        return scan ? { id: scan.id, status: scan.status } : null;
      });
    },
    onError: (_err, _input, context) => {
      for (const [queryKey, data] of context?.previous ?? []) client.setQueryData(queryKey, data);
    },
    onSettled: () => client.invalidateQueries({ queryKey: hostKeys.all }),
  });
}

export function useRetrustHostKey(hostId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (fingerprint: string) =>
      apiFetch<{ hostKey: { hostKeyFingerprint: string; previous: string | null } }>(
        `/api/hosts/${encodeURIComponent(hostId)}/host-key`,
        {
          method: "POST",
          json: { fingerprint },
        },
      ),
    onSettled: () => client.invalidateQueries({ queryKey: hostKeys.detail(hostId) }),
  });
}

// An admin confirms that the stored credential may go to the host's new address or jump host (issue 12).
export function useConfirmCredential(hostId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch<{ host: FleetHost }>(`/api/hosts/${encodeURIComponent(hostId)}`, {
        method: "PATCH",
        json: { confirmCredential: true },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: hostKeys.detail(hostId) }),
  });
}

export function useUploadProbeOutput(hostId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (output: string) =>
      apiFetch<{ scan: ScanView }>(`/api/hosts/${encodeURIComponent(hostId)}/probe-output`, {
        method: "POST",
        json: { output },
      }),
    onSettled: () => client.invalidateQueries({ queryKey: hostKeys.all }),
  });
}

export function useRegisterHost() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => apiFetch<{ host: FleetHost }>("/api/hosts", { method: "POST", json: body }),
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
