// One vocabulary for zero-copy paths (DOMAIN.md §7) across the host panel, fleet tiles, chart, filter and column.
// "unknown" is drawn as missing evidence (dashed, grey), never in the failure colour, as verdicts are.

export const PATH_VERDICT_META: Record<string, { label: string; icon: string; chip: string }> = {
  ready: {
    label: "Ready",
    icon: "✓",
    chip: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100",
  },
  "ready-with-warnings": {
    label: "Ready (warnings)",
    icon: "✓",
    chip: "bg-lime-100 text-lime-800 dark:bg-lime-900 dark:text-lime-100",
  },
  blocked: { label: "Blocked", icon: "✕", chip: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100" },
  unknown: {
    label: "Unknown",
    icon: "?",
    chip: "border border-dashed border-slate-400 text-slate-700 dark:text-slate-200",
  },
  "n/a": { label: "n/a", icon: "–", chip: "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200" },
};

// The best-path keys the fleet API filters and counts by; "none" = scanned, no path works (bestPath null).
export const BEST_PATH_ORDER = ["virtiofs-dax", "pmem-dax", "ksm", "none"] as const;

export type BestPathKey = (typeof BEST_PATH_ORDER)[number];

type BestPathMeta = { label: string; short: string; description: string; tile: string; color: string };

export const BEST_PATH_META: Record<BestPathKey, BestPathMeta> = {
  "virtiofs-dax": {
    label: "virtio-fs DAX",
    short: "virtio-fs DAX",
    description: "A legacy DAX-capable stack (CH ≤ v22.1 + virtiofsd ≤ 1.12) shares the page cache",
    tile: "border-emerald-300 dark:border-emerald-800",
    color: "#059669",
  },
  "pmem-dax": {
    label: "virtio-pmem + DAX fs",
    short: "pmem + DAX",
    description: "One read-only image on virtio-pmem, mounted with dax=always in every guest",
    tile: "border-teal-300 dark:border-teal-800",
    color: "#0d9488",
  },
  ksm: {
    label: "KSM merging",
    short: "KSM",
    description: "Identical guest pages merged after the fact (CH --memory mergeable=on)",
    tile: "border-sky-300 dark:border-sky-800",
    color: "#0284c7",
  },
  none: {
    label: "No path",
    short: "none",
    description: "Scanned, and no zero-copy path works here today",
    tile: "border-dashed border-slate-400 dark:border-slate-600",
    color: "#94a3b8",
  },
};

// The API's bucket key (a path id or null) as a tile key.
export const bestPathKey = (key: string | null): string => key ?? "none";

export function bestPathLabel(key: string | null): string {
  const k = bestPathKey(key);
  return k in BEST_PATH_META ? BEST_PATH_META[k as BestPathKey].label : k;
}
