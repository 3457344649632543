"use client";

import Link from "next/link";
import type { ColumnDef } from "@tanstack/react-table";
import type { FleetHost } from "@/lib/client/dto";
import { formatPageSize } from "@/lib/client/format";
import { bestPathLabel } from "../hosts/path-meta";
import { VerdictBadge } from "../hosts/verdict-badge";
import { ScanStateCell } from "./scan-state-cell";

// Column ids are the server's sort keys, so a header click maps straight to ?sort=.
export const SORTABLE_COLUMNS = new Set([
  "name",
  "address",
  "verdict",
  "bestPath",
  "product",
  "pageSize",
  "chVersion",
  "kernelRelease",
  "lastScanAt",
  "lastScanStatus",
]);

export const DEFAULT_HIDDEN: Record<string, boolean> = { kernelRelease: false, platformClass: false, core: false };

const dash = <span className="text-slate-400">—</span>;

export function fleetColumns(opts: { now: number; onTag: (tag: string) => void }): ColumnDef<FleetHost>[] {
  return [
    {
      id: "select",
      enableHiding: false,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all hosts on this page"
          checked={table.getIsAllPageRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomePageRowsSelected();
          }}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.original.name}`}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
        />
      ),
    },
    {
      id: "name",
      header: "Name",
      enableHiding: false,
      cell: ({ row }) => (
        <Link
          href={`/hosts/${row.original.id}`}
          className="font-medium whitespace-nowrap text-sky-700 hover:underline dark:text-sky-400"
        >
          {row.original.name}
        </Link>
      ),
    },
    {
      id: "address",
      header: "Address",
      cell: ({ row: { original: h } }) => (
        <span className="font-mono text-xs">
          {h.username}@{h.address}
          {h.port !== 22 ? `:${h.port}` : ""}
        </span>
      ),
    },
    {
      id: "verdict",
      header: "Verdict",
      cell: ({ row: { original: h } }) => (
        <VerdictBadge verdict={h.verdict} scanned={h.lastScanAt !== null} stale={h.stale} />
      ),
    },
    {
      id: "bestPath",
      header: "Best path",
      // No verdict yet: no path judged (a dash), which is not "no path" on an assessed host (the API's "none").
      cell: ({ row: { original: h } }) =>
        h.verdict === null && h.bestPath === null ? (
          dash
        ) : (
          <span data-best-path={h.bestPath ?? "none"} className="whitespace-nowrap">
            {bestPathLabel(h.bestPath)}
          </span>
        ),
    },
    { id: "product", header: "Product", cell: ({ row }) => row.original.product ?? dash },
    { id: "core", header: "Core", cell: ({ row }) => row.original.core ?? dash },
    {
      id: "pageSize",
      header: "Page size",
      cell: ({ row }) => (row.original.pageSize ? formatPageSize(row.original.pageSize) : dash),
    },
    { id: "chVersion", header: "CH version", cell: ({ row }) => row.original.chVersion ?? dash },
    { id: "platformClass", header: "Platform class", cell: ({ row }) => row.original.platformClass ?? dash },
    {
      id: "kernelRelease",
      header: "Kernel",
      cell: ({ row }) => <span className="font-mono text-xs">{row.original.kernelRelease ?? "—"}</span>,
    },
    { id: "lastScanAt", header: "Last scan", cell: ({ row }) => <ScanStateCell host={row.original} now={opts.now} /> },
    {
      id: "tags",
      header: "Tags",
      cell: ({ row }) => (
        <div className="flex flex-wrap gap-1">
          {row.original.tags.map((t) => (
            <button
              key={t}
              type="button"
              onClick={() => opts.onTag(t)}
              aria-label={`Filter by tag ${t}`}
              className="rounded bg-slate-200 px-1.5 py-0.5 text-xs hover:bg-slate-300 dark:bg-slate-700 dark:hover:bg-slate-600"
            >
              {t}
            </button>
          ))}
        </div>
      ),
    },
  ];
}
