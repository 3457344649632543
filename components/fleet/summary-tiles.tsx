"use client";

import type { FleetSummary } from "@/lib/client/dto";
import { VERDICT_META, VERDICT_ORDER, type VerdictKey } from "../hosts/verdict-meta";

type Props = {
  summary: FleetSummary | undefined;
  loading: boolean;
  selected: string[];
  stale: boolean;
  onVerdict: (verdict: VerdictKey) => void;
  onStale: () => void;
};

const tileBase =
  "flex min-w-0 flex-col items-start rounded-lg border-2 bg-white px-3 py-2 text-left transition hover:shadow-sm dark:bg-slate-900 aria-pressed:ring-2 aria-pressed:ring-sky-500";

// One tile per verdict; clicking filters the table to it (clicking again clears). Counts ignore the verdict filter.
export function SummaryTiles({ summary, loading, selected, stale, onVerdict, onStale }: Props) {
  return (
    <div
      role="group"
      aria-label="Verdict summary: click to filter the table"
      className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8"
    >
      {VERDICT_ORDER.map((key) => {
        const meta = VERDICT_META[key];
        const count = summary?.verdicts[key] ?? 0;
        return (
          <button
            key={key}
            type="button"
            data-testid={`tile-${key}`}
            aria-pressed={selected.includes(key)}
            onClick={() => onVerdict(key)}
            title={meta.description}
            className={`${tileBase} ${meta.tile}`}
          >
            <span className="text-2xl font-semibold tabular-nums">
              {loading && !summary ? "…" : count.toLocaleString()}
            </span>
            <span className="flex items-center gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
              <span aria-hidden>{meta.icon}</span>
              {meta.label}
            </span>
          </button>
        );
      })}
      <button
        type="button"
        data-testid="tile-stale"
        aria-pressed={stale}
        onClick={onStale}
        title="Last scan failed; showing the last good result"
        className={`${tileBase} border-amber-200 dark:border-amber-900`}
      >
        <span className="text-2xl font-semibold tabular-nums">
          {loading && !summary ? "…" : (summary?.stale ?? 0).toLocaleString()}
        </span>
        <span className="text-xs font-medium text-slate-600 dark:text-slate-300">
          Stale{summary?.scanning ? <span className="ml-1 text-sky-600">· {summary.scanning} scanning</span> : null}
        </span>
      </button>
    </div>
  );
}
