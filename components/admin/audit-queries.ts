"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import type { AuditEventDto } from "@/lib/audit/list-audit";

// An event as the page reads it: `detail` is whatever the recording code stored (any JSON).
export type AuditEventView = Omit<AuditEventDto, "detail"> & { detail: unknown };

export type AuditPage = { events: AuditEventView[]; nextCursor: string | null };

export const AUDIT_FILTER_KEYS = ["actor", "action", "host", "from", "to"] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
export type AuditFilters = Partial<Record<AuditFilterKey, string>>;

type ReadableParams = { get(name: string): string | null };

export function readAuditFilters(search: ReadableParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const value = search.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

// The same query string serves the list, the export and the page's own URL.
export function auditQuery(filters: AuditFilters, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
  return params.toString();
}

export const auditKeys = {
  all: ["admin", "audit"] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, filters] as const,
};

export const AUDIT_PAGE_SIZE = 50;

// Keyset paging: each "load more" asks for the page after the last cursor, so rows never repeat or skip.
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam, signal }) =>
      apiFetch<AuditPage>(
        `/api/audit?${auditQuery(filters, { limit: String(AUDIT_PAGE_SIZE), cursor: pageParam ?? undefined })}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export const auditExportHref = (format: "csv" | "json", filters: AuditFilters) =>
  `/api/audit/export?${auditQuery(filters, { format })}`;
