"use client";

import type { FleetSummary } from "@/lib/client/dto";
import { BEST_PATH_META, BEST_PATH_ORDER, bestPathKey, type BestPathKey } from "../hosts/path-meta";

type Props = {
  summary: FleetSummary | undefined;
  loading: boolean;
  selected: string[];
  onSelect: (key: BestPathKey) => void;
};

const tileBase =
  "flex min-w-0 flex-col items-start rounded-lg border-2 bg-white px-3 py-2 text-left transition hover:shadow-sm dark:bg-slate-900 aria-pressed:ring-2 aria-pressed:ring-sky-500";

export function bestPathCounts(summary: FleetSummary | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const b of summary?.bestPaths ?? []) counts[bestPathKey(b.key)] = (counts[bestPathKey(b.key)] ?? 0) + b.count;
  return counts;
}

// One tile per best path (and "none"); clicking filters the table to it. Counts ignore the best-path filter, and
// hosts never scanned are not counted: they have no path yet, not "no path".
export function BestPathTiles({ summary, loading, selected, onSelect }: Props) {
  const counts = bestPathCounts(summary);
  return (
    <div
      role="group"
      aria-label="Best zero-copy path: click to filter the table"
      className="grid grid-cols-2 gap-2 sm:grid-cols-4"
    >
      {BEST_PATH_ORDER.map((key) => {
        const meta = BEST_PATH_META[key];
        return (
          <button
            key={key}
            type="button"
            data-testid={`best-path-tile-${key}`}
            aria-pressed={selected.includes(key)}
            onClick={() => onSelect(key)}
            title={meta.description}
            className={`${tileBase} ${meta.tile}`}
          >
            <span className="text-2xl font-semibold tabular-nums">
              {loading && !summary ? "…" : (counts[key] ?? 0).toLocaleString()}
            </span>
            <span className="text-xs font-medium text-slate-600 dark:text-slate-300">
              <span className="sr-only">Best path: </span>
              {meta.label}
            </span>
          </button>
        );
      })}
    </div>
  );
}
