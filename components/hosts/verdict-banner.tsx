import { VERDICT_META, verdictKey } from "./verdict-meta";

type Props = {
  verdict: string | null;
  headline: string | null;
  scanned: boolean;
  stale?: boolean;
  staleReason?: string | null;
};

const tone: Record<string, string> = {
  ready:
    "border-emerald-400 bg-emerald-50 text-emerald-950 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-50",
  "ready-with-warnings":
    "border-lime-400 bg-lime-50 text-lime-950 dark:border-lime-700 dark:bg-lime-950 dark:text-lime-50",
  "platform-ready":
    "border-amber-400 bg-amber-50 text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50",
  "not-ready": "border-red-400 bg-red-50 text-red-950 dark:border-red-700 dark:bg-red-950 dark:text-red-50",
  unknown:
    "border-dashed border-slate-400 bg-white text-slate-800 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100",
  "n/a": "border-slate-300 bg-slate-100 text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100",
  never:
    "border-dotted border-slate-400 bg-white text-slate-700 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-200",
};

// The host's verdict in plain words, using the assessment's headline ("Platform ready — DAX blocked by the VMM: …").
// Missing evidence reads as missing (dashed, "?"), never as a failure.
export function VerdictBanner({ verdict, headline, scanned, stale, staleReason }: Props) {
  const key = verdictKey(verdict, scanned);
  const meta = VERDICT_META[key];
  const text =
    key === "never"
      ? "Never scanned — no facts yet. Run a scan, or run the probe by hand and upload its output."
      : (headline ?? `${meta.label} — ${meta.description}`);
  return (
    <section
      aria-label="Verdict"
      data-testid="verdict-banner"
      data-verdict={key}
      className={`flex items-start gap-3 rounded-lg border-2 px-4 py-3 ${tone[key]}`}
    >
      <span aria-hidden className="mt-0.5 text-2xl leading-none">
        {meta.icon}
      </span>
      <div className="min-w-0">
        <p className="text-xs font-semibold tracking-wide uppercase opacity-80">{meta.label}</p>
        <p className="text-lg font-medium">{text}</p>
        {stale ? (
          <p className="mt-1 text-sm" data-testid="stale-note">
            <strong>Stale:</strong> the last scan failed{staleReason ? ` (${staleReason})` : ""}; this is the last good
            result.
          </p>
        ) : null}
      </div>
    </section>
  );
}
