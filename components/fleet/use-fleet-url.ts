"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { readFleetParams, type FleetParams } from "@/lib/client/fleet-params";

export type ParamPatch = Record<string, string | undefined>;

// The fleet view's state is the URL: reading parses it, writing replaces it (no history entry per keystroke).
// Any change other than paging goes back to page 1.
export function useFleetUrl(): { params: FleetParams; setParams: (patch: ParamPatch) => void } {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const params = useMemo(() => readFleetParams(search), [search]);
  const setParams = useCallback(
    (patch: ParamPatch) => {
      const next = new URLSearchParams(search.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      if (!("page" in patch)) next.delete("page");
      const qs = next.toString();
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [router, pathname, search],
  );
  return { params, setParams };
}
