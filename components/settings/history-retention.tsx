"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/lib/client/api";
import { formatBytes, formatUtc } from "@/lib/client/format";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, TextInput } from "../ui/field";
import { useHistoryOverview, usePruneNow, useSaveHistoryPolicy, type HistoryOverview } from "./history-queries";

const count = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

// Bounded scan history: what the database holds, the retention policy, and "Prune now".
export function HistoryRetention() {
  // The last prune's time when "Prune now" was pressed; the overview is polled until a newer one appears.
  const [pruneFrom, setPruneFrom] = useState<string | null | undefined>(undefined);
  const overview = useHistoryOverview(pruneFrom !== undefined);
  if (overview.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (overview.error) return <Alert>{overview.error.message}</Alert>;
  const data = overview.data;
  const pruning = pruneFrom !== undefined && (data.lastPrune?.at ?? null) === pruneFrom;
  return (
    <div className="space-y-4">
      <HistoryStats data={data} />
      <HistoryPolicyForm initial={data.policy} />
      <PruneNow
        pruning={pruning}
        lastPrune={data.lastPrune}
        onQueued={() => setPruneFrom(data.lastPrune?.at ?? null)}
      />
    </div>
  );
}

function HistoryStats({ data }: { data: HistoryOverview }) {
  const { stats } = data;
  const rows: [string, string][] = [
    ["Database size", formatBytes(stats.databaseBytes)],
    ["Scan history", `${count(stats.scans, "scan")} (${stats.driftScans.toLocaleString("en-US")} with drift)`],
    ["Scan table on disk", formatBytes(stats.scanTableBytes)],
    ["Raw probe output", formatBytes(stats.rawOutputBytes)],
    ["Oldest scan", formatUtc(stats.oldestScanAt)],
  ];
  return (
    <dl aria-label="History size" className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
          <dd className="font-mono text-xs leading-5">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function HistoryPolicyForm({ initial }: { initial: HistoryOverview["policy"] }) {
  const save = useSaveHistoryPolicy();
  const [keepScans, setKeepScans] = useState(String(initial.keepScans));
  const [keepDays, setKeepDays] = useState(String(initial.keepDays));
  const fieldError = (field: string) =>
    save.error instanceof ApiError && save.error.field === field ? save.error.message : undefined;
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ historyKeepScans: Number(keepScans), historyKeepDays: Number(keepDays) });
  }
  return (
    <form onSubmit={onSubmit} aria-label="History retention" className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Keep the last scans per host"
          htmlFor="history-keep-scans"
          hint="At least 1."
          error={fieldError("historyKeepScans")}
        >
          <TextInput
            id="history-keep-scans"
            type="number"
            min={1}
            max={10000}
            value={keepScans}
            onChange={(e) => setKeepScans(e.target.value)}
            invalid={Boolean(fieldError("historyKeepScans"))}
          />
        </Field>
        <Field
          label="Keep every scan younger than (days)"
          htmlFor="history-keep-days"
          hint="0 keeps only the last scans."
          error={fieldError("historyKeepDays")}
        >
          <TextInput
            id="history-keep-days"
            type="number"
            min={0}
            max={3650}
            value={keepDays}
            onChange={(e) => setKeepDays(e.target.value)}
            invalid={Boolean(fieldError("historyKeepDays"))}
          />
        </Field>
      </div>
      {save.error && !fieldError("historyKeepScans") && !fieldError("historyKeepDays") ? (
        <Alert>{save.error.message}</Alert>
      ) : null}
      {save.isSuccess ? <Alert tone="success">Saved. The next prune applies it.</Alert> : null}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save retention"}
      </Button>
    </form>
  );
}

function PruneNow({
  pruning,
  lastPrune,
  onQueued,
}: {
  pruning: boolean;
  lastPrune: HistoryOverview["lastPrune"];
  onQueued: () => void;
}) {
  const prune = usePruneNow();
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <Button
        type="button"
        variant="secondary"
        disabled={prune.isPending || pruning}
        onClick={() => prune.mutate(undefined, { onSuccess: onQueued })}
      >
        {pruning ? "Pruning…" : "Prune now"}
      </Button>
      <span role="status" className="text-slate-600 dark:text-slate-400">
        {lastPrune
          ? `Last prune ${formatUtc(lastPrune.at)}: ${count(lastPrune.deletedScans, "scan")} deleted.`
          : "Not pruned yet; pruning runs hourly."}
      </span>
      {prune.error ? <Alert>{prune.error.message}</Alert> : null}
    </div>
  );
}
