const LABELS: Record<string, { text: string; className: string }> = {
  ready: { text: "Ready", className: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100" },
  "ready-with-warnings": { text: "Ready (warnings)", className: "bg-lime-100 text-lime-800 dark:bg-lime-900 dark:text-lime-100" },
  "platform-ready": { text: "Platform ready", className: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100" },
  "not-ready": { text: "Not ready", className: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100" },
  unknown: { text: "Unknown", className: "border border-dashed border-slate-400 text-slate-600 dark:text-slate-300" },
  "n/a": { text: "n/a (not arm64)", className: "bg-slate-200 text-slate-600 dark:bg-slate-700 dark:text-slate-300" },
};

// "Never scanned" and "unknown" are drawn differently from "not ready": missing evidence is not a failure.
export function VerdictBadge({ verdict, scanned, stale }: { verdict: string | null; scanned: boolean; stale?: boolean }) {
  const info = verdict ? LABELS[verdict] : undefined;
  if (!scanned && !verdict) {
    return <span className="rounded-full px-2 py-0.5 text-xs text-slate-500 italic ring-1 ring-slate-300 dark:ring-slate-600">never scanned</span>;
  }
  return (
    <span className="inline-flex items-center gap-1">
      <span data-verdict={verdict ?? "unknown"} className={`rounded-full px-2 py-0.5 text-xs font-medium ${(info ?? LABELS.unknown).className}`}>
        {(info ?? LABELS.unknown).text}
      </span>
      {stale ? <span className="text-xs text-amber-600" title="The last scan failed; this is the last good result">stale</span> : null}
    </span>
  );
}
