"use client";

import { useState } from "react";
import type { AssessmentView, CheckView, GuestProfileRef, PathView } from "@/lib/client/dto";
import { CheckItem } from "./check-list";
import { PathConfig } from "./path-config";
import { bestPathLabel, PATH_VERDICT_META } from "./path-meta";

type Props = { assessment: AssessmentView | null; guestProfile?: GuestProfileRef | null };

export function PathVerdictBadge({ verdict }: { verdict: string }) {
  const meta = PATH_VERDICT_META[verdict] ?? PATH_VERDICT_META.unknown;
  return (
    <span
      data-path-verdict={verdict}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${meta.chip}`}
    >
      <span aria-hidden>{meta.icon}</span>
      {meta.label}
    </span>
  );
}

function CheckSection({ title, pathId, checks }: { title: string; pathId: string; checks: CheckView[] }) {
  if (checks.length === 0) return null;
  return (
    <section aria-label={title}>
      <h4 className="text-sm font-semibold">{title}</h4>
      <ul>
        {checks.map((c) => (
          <CheckItem key={c.id} check={c} testId={`path-check-${pathId}-${c.id}`} />
        ))}
      </ul>
    </section>
  );
}

function PathRow({
  path,
  best,
  open,
  onToggle,
}: {
  path: PathView;
  best: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const bodyId = `path-body-${path.id}`;
  const of = (...statuses: string[]) => path.checks.filter((c) => statuses.includes(c.status));
  const passed = of("PASS");
  return (
    <li
      data-testid={`path-${path.id}`}
      data-verdict={path.verdict}
      data-best={best || undefined}
      className={`rounded-md border ${best ? "border-emerald-400 dark:border-emerald-700" : "border-slate-200 dark:border-slate-800"}`}
    >
      <h3>
        <button
          type="button"
          aria-expanded={open}
          aria-controls={bodyId}
          onClick={onToggle}
          className="flex w-full flex-wrap items-center gap-2 px-3 py-2 text-left hover:bg-slate-50 dark:hover:bg-slate-800/50"
        >
          <span aria-hidden className="w-3 text-slate-500">
            {open ? "▾" : "▸"}
          </span>
          <span className="font-medium">{path.title}</span>
          <PathVerdictBadge verdict={path.verdict} />
          {best ? (
            <span className="rounded bg-emerald-600 px-1.5 py-0.5 text-xs font-semibold text-white">Best path</span>
          ) : null}
          <span className="basis-full pl-5 text-sm text-slate-600 dark:text-slate-400">{path.summary}</span>
        </button>
      </h3>
      <div id={bodyId} hidden={!open} className="space-y-3 border-t border-slate-100 px-3 py-3 dark:border-slate-800">
        <CheckSection title="What blocks it" pathId={path.id} checks={of("FAIL", "UNKNOWN")} />
        <CheckSection title="Warnings" pathId={path.id} checks={of("WARN")} />
        <CheckSection title="Notes" pathId={path.id} checks={of("INFO")} />
        {passed.length > 0 ? (
          <p className="text-xs text-slate-500">Passed: {passed.map((c) => c.title).join(" · ")}</p>
        ) : null}
        {path.config ? <PathConfig pathId={path.id} title={path.title} config={path.config} /> : null}
      </div>
    </li>
  );
}

// Every way this host can share one copy of libraries and models across microVMs (DOMAIN.md §7): one row per path
// with its verdict, what blocks it, and the configuration to paste. The best path opens by default.
export function ZeroCopyPaths({ assessment, guestProfile }: Props) {
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  if (!assessment)
    return (
      <p className="text-sm text-slate-500" data-testid="paths-none">
        No zero-copy paths yet: they are judged after a successful scan.
      </p>
    );
  const paths = assessment.paths ?? [];
  if (paths.length === 0)
    return (
      <p
        className="rounded-md border border-dashed border-slate-400 px-3 py-2 text-sm text-slate-700 dark:text-slate-300"
        data-testid="paths-not-judged"
      >
        Zero-copy paths not judged yet: this scan was assessed before DAXboard judged them. Rescan the host, or wait for
        the background re-assessment to reach it.
      </p>
    );
  const best = assessment.bestPath ?? null;
  const isOpen = (id: string) => toggled[id] ?? id === best;
  return (
    <div className="space-y-3" data-testid="zero-copy-paths">
      <p className="text-sm" data-testid="best-path" data-best-path={best ?? "none"}>
        <span className="font-semibold">
          {best ? `Best path: ${bestPathLabel(best)}` : "No zero-copy path works here today"}
        </span>
        {assessment.bestPathReason ? <> — {assessment.bestPathReason}</> : null}
      </p>
      {guestProfile ? (
        <p className="text-xs text-slate-500" data-testid="paths-guest-profile">
          Judged for the guest profile “{guestProfile.name}”.
        </p>
      ) : null}
      <ul className="space-y-2">
        {paths.map((p) => (
          <PathRow
            key={p.id}
            path={p}
            best={p.id === best}
            open={isOpen(p.id)}
            onToggle={() => setToggled({ ...toggled, [p.id]: !isOpen(p.id) })}
          />
        ))}
      </ul>
    </div>
  );
}
