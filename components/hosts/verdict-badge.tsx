import { VERDICT_META, verdictKey } from "./verdict-meta";

// "Never scanned" and "unknown" are drawn differently from "not ready": missing evidence is not a failure.
export function VerdictBadge({
  verdict,
  scanned,
  stale,
}: {
  verdict: string | null;
  scanned: boolean;
  stale?: boolean;
}) {
  const key = verdictKey(verdict, scanned);
  const meta = VERDICT_META[key];
  if (key === "never") {
    return (
      <span data-verdict="never" className={`rounded-full px-2 py-0.5 text-xs whitespace-nowrap ${meta.chip}`}>
        never scanned
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap">
      <span
        data-verdict={key}
        className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${meta.chip}`}
      >
        <span aria-hidden>{meta.icon}</span>
        {meta.label}
      </span>
      {stale ? (
        <span
          className="rounded bg-amber-50 px-1 text-xs text-amber-700 dark:bg-amber-950 dark:text-amber-300"
          title="The last scan failed; this is the last good result"
        >
          stale
        </span>
      ) : null}
    </span>
  );
}
