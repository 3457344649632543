import type { ScanView } from "@/lib/client/dto";
import { formatUtc, formatValue } from "@/lib/client/format";
import { timeAgo } from "@/lib/client/time-ago";
import { ScanError } from "./scan-error";
import { VerdictBadge } from "./verdict-badge";

const DOT: Record<string, string> = {
  queued: "bg-slate-300 ring-sky-300",
  running: "bg-sky-500 animate-pulse ring-sky-300",
  succeeded: "bg-emerald-500 ring-emerald-200 dark:ring-emerald-900",
  failed: "bg-red-500 ring-red-200 dark:ring-red-900",
};

// Scan history, newest first. Drift (a fact that changed since the previous good scan) is highlighted.
export function ScanTimeline({
  scans,
  selectedId,
  onSelect,
  now,
}: {
  scans: ScanView[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  now: number;
}) {
  if (scans.length === 0) return <p className="text-sm text-slate-500">No scans yet.</p>;
  return (
    <ol className="relative space-y-4 border-l border-slate-200 pl-5 dark:border-slate-700" data-testid="scan-timeline">
      {scans.map((scan) => {
        const finished = scan.status === "succeeded" || scan.status === "failed";
        return (
          <li key={scan.id} className="relative" data-status={scan.status}>
            <span
              aria-hidden
              className={`absolute top-1.5 -left-[1.65rem] h-3 w-3 rounded-full ring-4 ${DOT[scan.status] ?? DOT.queued}`}
            />
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium capitalize">{scan.optimistic ? "queued (sending…)" : scan.status}</span>
              {scan.verdict ? <VerdictBadge verdict={scan.verdict} scanned /> : null}
              <span className="text-slate-500" title={formatUtc(scan.createdAt)}>
                {timeAgo(scan.finishedAt ?? scan.startedAt ?? scan.createdAt, now)}
              </span>
              <span className="text-xs text-slate-500">
                {scan.source === "imported" ? "uploaded by hand" : "over SSH"}
                {scan.attempts > 1 ? ` · ${scan.attempts} attempts` : ""}
                {scan.requestedBy ? ` · by ${scan.requestedBy}` : ""}
              </span>
              {finished && !scan.optimistic ? (
                <button
                  type="button"
                  onClick={() => onSelect(scan.id)}
                  aria-pressed={selectedId === scan.id}
                  className="ml-auto rounded px-2 py-0.5 text-xs text-sky-700 hover:bg-sky-50 aria-pressed:bg-sky-100 dark:text-sky-400 dark:hover:bg-sky-950 dark:aria-pressed:bg-sky-900"
                >
                  Raw output
                </button>
              ) : null}
            </div>
            {scan.error ? (
              <div className="mt-1">
                <ScanError error={scan.error} />
              </div>
            ) : null}
            {scan.drift && scan.drift.length > 0 ? (
              <div
                className="mt-1 rounded-md border-l-4 border-violet-500 bg-violet-50 px-3 py-1.5 text-sm dark:bg-violet-950"
                data-testid="drift"
              >
                <p className="font-medium text-violet-900 dark:text-violet-100">Changed since the previous scan</p>
                <ul className="text-xs">
                  {scan.drift.map((d) => (
                    <li key={d.field}>
                      <span className="font-mono">{d.field}</span>:{" "}
                      <del className="text-slate-500">{formatValue(d.from)}</del> →{" "}
                      <ins className="font-semibold no-underline">{formatValue(d.to)}</ins>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
