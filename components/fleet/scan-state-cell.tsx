import { ERROR_CLASSES, type ErrorClass } from "@/lib/ssh/errors";
import type { FleetHost } from "@/lib/client/dto";
import { formatUtc } from "@/lib/client/format";
import { timeAgo } from "@/lib/client/time-ago";

export function errorClassTitle(errorClass: string): string {
  return ERROR_CLASSES[errorClass as ErrorClass]?.title ?? errorClass;
}

// Last-scan age on every row, the in-flight state while a scan runs, and the error class of a failed scan.
export function ScanStateCell({ host, now }: { host: FleetHost; now: number }) {
  const active = host.activeScan;
  return (
    <div className="flex flex-col gap-0.5 whitespace-nowrap">
      <span
        suppressHydrationWarning
        className="text-slate-600 dark:text-slate-300"
        title={host.lastScanAt ? formatUtc(host.lastScanAt) : undefined}
      >
        {host.lastScanAt ? timeAgo(host.lastScanAt, now) : <span className="italic text-slate-400">never</span>}
      </span>
      {active && (active.status === "queued" || active.status === "running") ? (
        <span
          data-testid="scan-state"
          data-state={active.status}
          className="inline-flex items-center gap-1 text-xs font-medium text-sky-700 dark:text-sky-300"
        >
          <span
            aria-hidden
            className={`inline-block h-2 w-2 rounded-full bg-sky-500 ${active.status === "running" ? "animate-pulse" : "opacity-50"}`}
          />
          {active.status}…
        </span>
      ) : host.lastScanStatus === "failed" && host.lastErrorClass ? (
        <span
          data-testid="scan-error"
          className="inline-flex w-fit items-center rounded bg-red-50 px-1 text-xs text-red-700 dark:bg-red-950 dark:text-red-300"
          title={ERROR_CLASSES[host.lastErrorClass as ErrorClass]?.hint ?? undefined}
        >
          failed: {host.lastErrorClass}
        </span>
      ) : null}
    </div>
  );
}
