// One vocabulary for verdicts across badges, tiles, charts and the banner. "unknown" and "never scanned" are
// drawn as missing evidence (dashed, grey), never in the failure colour.

export const VERDICT_ORDER = [
  "ready",
  "ready-with-warnings",
  "platform-ready",
  "not-ready",
  "unknown",
  "n/a",
  "never",
] as const;

export type VerdictKey = (typeof VERDICT_ORDER)[number];

type VerdictMeta = { label: string; description: string; icon: string; chip: string; tile: string; color: string };

export const VERDICT_META: Record<VerdictKey, VerdictMeta> = {
  ready: {
    label: "Ready",
    description: "DAX-capable stack, no platform blocker",
    icon: "✓",
    chip: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100",
    tile: "border-emerald-300 dark:border-emerald-800",
    color: "#059669",
  },
  "ready-with-warnings": {
    label: "Ready (warnings)",
    description: "Ready, with warnings to read",
    icon: "✓",
    chip: "bg-lime-100 text-lime-800 dark:bg-lime-900 dark:text-lime-100",
    tile: "border-lime-300 dark:border-lime-800",
    color: "#65a30d",
  },
  "platform-ready": {
    label: "Platform ready",
    description: "Hardware fits; the VMM/daemon stack blocks DAX",
    icon: "◐",
    chip: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100",
    tile: "border-amber-300 dark:border-amber-800",
    color: "#d97706",
  },
  "not-ready": {
    label: "Not ready",
    description: "A platform check failed",
    icon: "✕",
    chip: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
    tile: "border-red-300 dark:border-red-800",
    color: "#dc2626",
  },
  unknown: {
    label: "Unknown",
    description: "Not enough facts to judge",
    icon: "?",
    chip: "border border-dashed border-slate-400 text-slate-700 dark:text-slate-200",
    tile: "border-dashed border-slate-400 dark:border-slate-600",
    color: "#94a3b8",
  },
  "n/a": {
    label: "n/a (not arm64)",
    description: "Not an arm64 host",
    icon: "–",
    chip: "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200",
    tile: "border-slate-300 dark:border-slate-700",
    color: "#64748b",
  },
  never: {
    label: "Never scanned",
    description: "No scan has run yet",
    icon: "○",
    chip: "italic text-slate-500 ring-1 ring-slate-300 dark:text-slate-400 dark:ring-slate-600",
    tile: "border-dotted border-slate-400 dark:border-slate-600",
    color: "#cbd5e1",
  },
};

export function verdictKey(verdict: string | null | undefined, scanned: boolean): VerdictKey {
  if (!verdict) return scanned ? "unknown" : "never";
  return (VERDICT_ORDER as readonly string[]).includes(verdict) ? (verdict as VerdictKey) : "unknown";
}
