"use client";

import { useMemo, useState } from "react";
import { inputClass } from "../ui/field";
import { CopyButton } from "../ui/copy-button";
import { useScanDetail } from "./host-queries";

// The probe document exactly as the host printed it, with a section filter for long outputs.
export function RawOutputViewer({ scanId }: { scanId: string | null }) {
  const scan = useScanDetail(scanId);
  const [needle, setNeedle] = useState("");
  const text = scan.data?.rawOutput ?? "";
  const shown = useMemo(() => {
    if (!needle) return text;
    return text
      .split("\n")
      .filter((line) => line.toLowerCase().includes(needle.toLowerCase()))
      .join("\n");
  }, [text, needle]);

  if (!scanId) return <p className="text-sm text-slate-500">No scan selected.</p>;
  if (scan.isPending) return <p className="text-sm text-slate-500">Loading output…</p>;
  if (scan.error) return <p className="text-sm text-red-600">Could not load the output: {scan.error.message}</p>;
  if (!text)
    return (
      <p className="text-sm text-slate-500">
        This scan stored no output (it failed before the probe printed anything).
      </p>
    );
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="raw-filter" className="text-sm">
          Filter lines
        </label>
        <input
          id="raw-filter"
          value={needle}
          onChange={(e) => setNeedle(e.target.value)}
          placeholder="e.g. kvm, GIC, virtiofsd"
          className={`${inputClass} max-w-xs`}
        />
        <span className="text-xs text-slate-500">{text.length.toLocaleString()} characters</span>
        <span className="ml-auto">
          <CopyButton text={text} label="Copy the raw probe output" />
        </span>
      </div>
      {scan.data?.assessment?.parseWarnings?.length ? (
        <ul className="list-disc pl-5 text-xs text-amber-700 dark:text-amber-300">
          {scan.data.assessment.parseWarnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
      <pre
        tabIndex={0}
        aria-label="Raw probe output"
        data-testid="raw-output"
        className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100 dark:bg-black"
      >
        {shown}
      </pre>
    </div>
  );
}
