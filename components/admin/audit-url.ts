"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { auditQuery, readAuditFilters, type AuditFilters } from "./audit-queries";

// The audit page's filters live in the URL, so a filtered view can be shared as a link and survives a reload.
export function useAuditUrl(): { filters: AuditFilters; setFilters: (next: AuditFilters) => void } {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = useMemo(() => readAuditFilters(search), [search]);
  const setFilters = useCallback(
    (next: AuditFilters) => {
      const qs = auditQuery(next);
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  return { filters, setFilters };
}
