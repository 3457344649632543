"use client";

import { formatValue } from "@/lib/client/format";

type Change = { field: string; old: unknown; new: unknown };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

// Host changes record `detail.changes` as {field: {old, new}} (issue 12); anything else is shown as plain JSON.
export function detailChanges(detail: unknown): Change[] {
  if (!isRecord(detail) || !isRecord(detail.changes)) return [];
  return Object.entries(detail.changes).flatMap(([field, c]) =>
    isRecord(c) && ("old" in c || "new" in c) ? [{ field, old: c.old, new: c.new }] : [],
  );
}

const SUMMARY_MAX = 140;

// One line for the table: the changed fields, or the detail's top-level values.
export function summarizeDetail(detail: unknown): string {
  if (detail === null || detail === undefined) return "";
  const changes = detailChanges(detail);
  const text = changes.length
    ? changes.map((c) => `${c.field}: ${formatValue(c.old)} → ${formatValue(c.new)}`).join("; ")
    : isRecord(detail)
      ? Object.entries(detail)
          .map(([k, v]) => `${k}: ${formatValue(v)}`)
          .join(", ")
      : formatValue(detail);
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

// The expanded view of one event: before/after for changes, then the whole detail as JSON.
export function AuditDetail({ detail }: { detail: unknown }) {
  const changes = detailChanges(detail);
  return (
    <div className="space-y-2">
      {changes.length ? (
        <table className="text-xs">
          <caption className="sr-only">Changed fields</caption>
          <thead className="text-left text-slate-500 dark:text-slate-400">
            <tr>
              {["Field", "Before", "After"].map((name) => (
                <th key={name} scope="col" className="pr-4 font-medium">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.field} data-testid="audit-change">
                <th scope="row" className="pr-4 text-left font-mono font-normal">
                  {c.field}
                </th>
                <td className="pr-4 font-mono text-red-700 dark:text-red-300">{formatValue(c.old)}</td>
                <td className="font-mono text-emerald-700 dark:text-emerald-300">{formatValue(c.new)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <pre className="max-h-80 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs break-all whitespace-pre-wrap dark:bg-slate-800">
        {detail === null || detail === undefined ? "No detail recorded." : JSON.stringify(detail, null, 2)}
      </pre>
    </div>
  );
}
