"use client";

import type { ScanView } from "@/lib/client/dto";
import { isActiveStatus } from "@/lib/client/dto";
import { Button } from "../ui/button";
import { useRescan } from "./host-queries";

const STEPS = ["queued", "running", "done"] as const;

function stepOf(scan: ScanView | undefined): number {
  if (!scan) return -1;
  return scan.status === "queued" ? 0 : scan.status === "running" ? 1 : 2;
}

function announce(scan: ScanView | undefined): string {
  if (!scan) return "";
  if (scan.status === "queued") return "Scan queued";
  if (scan.status === "running") return "Scan running";
  if (scan.status === "failed") return `Scan failed: ${scan.error?.title ?? "error"}`;
  return "Scan done";
}

// Rescan (operators) and the live progress of the newest scan: queued → running → done / failed.
export function RescanControl({
  hostId,
  latest,
  canOperate,
}: {
  hostId: string;
  latest: ScanView | undefined;
  canOperate: boolean;
}) {
  const rescan = useRescan(hostId);
  const active = isActiveStatus(latest?.status);
  const step = stepOf(latest);
  return (
    <div className="flex flex-wrap items-center gap-3">
      {latest ? (
        <ol
          aria-label="Scan progress"
          className="flex items-center gap-1 text-xs"
          data-testid="scan-progress"
          data-status={latest.status}
        >
          {STEPS.map((name, i) => {
            const failed = name === "done" && latest.status === "failed";
            const reached = i <= step;
            return (
              <li key={name} className="flex items-center gap-1">
                {i > 0 ? (
                  <span aria-hidden className="text-slate-400">
                    →
                  </span>
                ) : null}
                <span
                  aria-current={i === step ? "step" : undefined}
                  className={`rounded-full px-2 py-0.5 ${failed ? "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100" : reached ? "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100" : "text-slate-400"} ${i === step && active ? "animate-pulse" : ""}`}
                >
                  {failed ? "failed" : name}
                </span>
              </li>
            );
          })}
        </ol>
      ) : null}
      <p aria-live="polite" className="sr-only" data-testid="scan-announcer">
        {announce(latest)}
      </p>
      {canOperate ? (
        <Button onClick={() => rescan.mutate()} disabled={active || rescan.isPending}>
          {active ? "Scanning…" : "Rescan"}
        </Button>
      ) : null}
      {rescan.error ? (
        <p role="alert" className="w-full text-sm text-red-700 dark:text-red-300">
          Could not queue the scan: {rescan.error.message}
        </p>
      ) : null}
    </div>
  );
}
