"use client";

import { useEffect, useState } from "react";
import type { FleetSummary } from "@/lib/client/dto";
import { hasFilters, type FleetFilters } from "@/lib/client/fleet-params";
import { formatPageSize } from "@/lib/client/format";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { BEST_PATH_META, BEST_PATH_ORDER } from "../hosts/path-meta";
import { VERDICT_META, VERDICT_ORDER } from "../hosts/verdict-meta";
import type { ParamPatch } from "./use-fleet-url";

const PLATFORM_CLASSES = ["server-acpi", "dt-coherent", "dt-noncoherent", "no-gicv3", "unknown"];
const selectClass = `${inputClass} w-auto min-w-32 max-w-60 truncate`;

function Select({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (v: string) => void;
}) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} className={selectClass}>
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

const fromBuckets = (
  buckets: FleetSummary["byProduct"] | undefined,
  current: string | undefined,
  label = (k: string) => k,
) => {
  const keys = new Set((buckets ?? []).flatMap((b) => (b.key === null || b.key === "" ? [] : [String(b.key)])));
  if (current) keys.add(current);
  return [...keys].map((k) => ({ value: k, label: label(k) }));
};

// Filters and search, all kept in the URL. Options come from the fleet summary, so they list what exists.
export function FleetFilters({
  filters,
  summary,
  setParams,
}: {
  filters: FleetFilters;
  summary: FleetSummary | undefined;
  setParams: (p: ParamPatch) => void;
}) {
  const [text, setText] = useState(filters.q ?? "");
  const [tag, setTag] = useState(filters.tag ?? "");
  const [seen, setSeen] = useState({ q: filters.q, tag: filters.tag });

  // Follow the URL when it changes from elsewhere (a tile, back/forward, "Clear"): adjust state while rendering.
  if (seen.q !== filters.q || seen.tag !== filters.tag) {
    setSeen({ q: filters.q, tag: filters.tag });
    if (seen.q !== filters.q) setText(filters.q ?? "");
    if (seen.tag !== filters.tag) setTag(filters.tag ?? "");
  }

  useEffect(() => {
    if (text === (filters.q ?? "")) return;
    const t = setTimeout(() => setParams({ q: text.trim() || undefined }), 250);
    return () => clearTimeout(t);
  }, [text, filters.q, setParams]);

  const pageSizes = fromBuckets(summary?.byPageSize, filters.hostPageSize, (k) =>
    /^\d+$/.test(k) ? formatPageSize(Number(k)) : k,
  );
  const verdict = filters.verdict ?? "";
  const verdictOptions: Array<{ value: string; label: string }> = VERDICT_ORDER.map((k) => ({
    value: k,
    label: VERDICT_META[k].label,
  }));
  if (verdict && !verdictOptions.some((o) => o.value === verdict))
    verdictOptions.push({ value: verdict, label: verdict.split(",").join(" + ") });
  const bestPath = filters.bestPath ?? "";
  const bestPathOptions: Array<{ value: string; label: string }> = BEST_PATH_ORDER.map((k) => ({
    value: k,
    label: BEST_PATH_META[k].label,
  }));
  if (bestPath && !bestPathOptions.some((o) => o.value === bestPath))
    bestPathOptions.push({ value: bestPath, label: bestPath.split(",").join(" + ") });

  return (
    <div className="flex flex-wrap items-end gap-2" role="search" aria-label="Filter hosts">
      <div className="flex flex-col gap-0.5">
        <label htmlFor="host-search" className="text-xs font-medium text-slate-600 dark:text-slate-400">
          Search
        </label>
        <input
          id="host-search"
          type="search"
          placeholder="Name, address, product…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          className={`${inputClass} w-56`}
        />
      </div>
      <Select
        id="filter-verdict"
        label="Verdict"
        value={verdict}
        options={verdictOptions}
        onChange={(v) => setParams({ verdict: v || undefined })}
      />
      <Select
        id="filter-best-path"
        label="Best path"
        value={bestPath}
        options={bestPathOptions}
        onChange={(v) => setParams({ bestPath: v || undefined })}
      />
      <form
        className="flex flex-col gap-0.5"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ tag: tag.trim() || undefined });
        }}
      >
        <label htmlFor="filter-tag" className="text-xs font-medium text-slate-600 dark:text-slate-400">
          Tag
        </label>
        <input
          id="filter-tag"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          onBlur={() => tag !== (filters.tag ?? "") && setParams({ tag: tag.trim() || undefined })}
          placeholder="rack3"
          className={`${inputClass} w-28`}
        />
      </form>
      <Select
        id="filter-product"
        label="Product"
        value={filters.product ?? ""}
        options={fromBuckets(summary?.byProduct, filters.product)}
        onChange={(v) => setParams({ product: v || undefined })}
      />
      <Select
        id="filter-page-size"
        label="Page size"
        value={filters.hostPageSize ?? ""}
        options={
          pageSizes.length
            ? pageSizes
            : [4096, 16384, 65536].map((n) => ({ value: String(n), label: formatPageSize(n) }))
        }
        onChange={(v) => setParams({ hostPageSize: v || undefined })}
      />
      <Select
        id="filter-ch"
        label="CH version"
        value={filters.chVersion ?? ""}
        options={fromBuckets(summary?.byChVersion, filters.chVersion)}
        onChange={(v) => setParams({ chVersion: v || undefined })}
      />
      <Select
        id="filter-platform"
        label="Platform class"
        value={filters.platformClass ?? ""}
        options={PLATFORM_CLASSES.map((c) => ({ value: c, label: c }))}
        onChange={(v) => setParams({ platformClass: v || undefined })}
      />
      <Select
        id="filter-stale"
        label="Freshness"
        value={filters.stale ?? ""}
        options={[
          { value: "true", label: "Stale (last scan failed)" },
          { value: "false", label: "Fresh" },
        ]}
        onChange={(v) => setParams({ stale: v || undefined })}
      />
      {hasFilters(filters) ? (
        <Button
          variant="ghost"
          onClick={() =>
            setParams({
              q: undefined,
              tag: undefined,
              verdict: undefined,
              product: undefined,
              hostPageSize: undefined,
              chVersion: undefined,
              platformClass: undefined,
              stale: undefined,
              bestPath: undefined,
            })
          }
        >
          Clear filters
        </Button>
      ) : null}
    </div>
  );
}
