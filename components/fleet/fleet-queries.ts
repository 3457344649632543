"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import type { FleetSummary } from "@/lib/client/dto";
import { filterQuery, type FleetFilters } from "@/lib/client/fleet-params";
import { hostKeys, LIVE_POLL_MS } from "../hosts/host-queries";

// Fleet-level queries nest under hostKeys.all, so every host mutation's invalidation refreshes them too.
export const fleetKeys = {
  all: [...hostKeys.all, "fleet"] as const,
  summary: (filters: FleetFilters) => [...fleetKeys.all, "summary", filters] as const,
};

// Tiles and charts show the whole (otherwise filtered) fleet: the verdict filter is what the tiles set, so it is
// left out here, or every other tile would read zero.
export function useFleetSummary(filters: FleetFilters) {
  return useQuery({
    queryKey: fleetKeys.summary({ ...filters, verdict: undefined }),
    queryFn: ({ signal }) =>
      apiFetch<FleetSummary>(`/api/fleet/summary?${filterQuery(filters, {}, ["verdict"])}`, { signal }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => ((query.state.data?.scanning ?? 0) > 0 ? LIVE_POLL_MS * 2 : false),
  });
}

export function exportHref(format: "csv" | "json", filters: FleetFilters, sort: string): string {
  return `/api/export.${format}?${filterQuery(filters, { sort })}`;
}
