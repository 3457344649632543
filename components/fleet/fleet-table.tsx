"use client";

import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type RowSelectionState,
  type VisibilityState,
} from "@tanstack/react-table";
import { useMemo, useState } from "react";
import type { HostList } from "@/lib/client/dto";
import { PAGE_SIZES, type FleetParams } from "@/lib/client/fleet-params";
import { Button } from "../ui/button";
import { useLocalStorage } from "../ui/use-local-storage";
import { useNow } from "../ui/use-now";
import { ColumnChooser } from "./column-chooser";
import { DEFAULT_HIDDEN, fleetColumns, SORTABLE_COLUMNS } from "./fleet-columns";
import type { ParamPatch } from "./use-fleet-url";

type Props = {
  data: HostList;
  params: FleetParams;
  setParams: (p: ParamPatch) => void;
  fetching: boolean;
  toolbar: (selectedIds: string[], clear: () => void) => React.ReactNode;
  empty: React.ReactNode;
};

// Server-side sorted and paged: the browser holds one page, so 10,000 hosts cost what 50 do.
export function FleetTable({ data, params, setParams, fetching, toolbar, empty }: Props) {
  const now = useNow();
  const [visibility, setVisibility] = useLocalStorage<VisibilityState>("daxboard.fleet.columns", DEFAULT_HIDDEN);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const columns = useMemo(() => fleetColumns({ now, onTag: (tag) => setParams({ tag }) }), [now, setParams]);
  const desc = params.sort.startsWith("-");
  const sortId = desc ? params.sort.slice(1) : params.sort;

  const table = useReactTable({
    data: data.hosts,
    columns,
    getRowId: (h) => h.id,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    rowCount: data.total,
    enableRowSelection: true,
    state: { columnVisibility: visibility, rowSelection: selection, sorting: [{ id: sortId, desc }] },
    onColumnVisibilityChange: setVisibility,
    onRowSelectionChange: setSelection,
  });

  const selectedIds = Object.keys(selection).filter((id) => selection[id]);
  const pages = Math.max(1, Math.ceil(data.total / params.pageSize));
  const first = data.total === 0 ? 0 : (params.page - 1) * params.pageSize + 1;
  const last = Math.min(data.total, params.page * params.pageSize);

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        {toolbar(selectedIds, () => setSelection({}))}
        <div className="ml-auto">
          <ColumnChooser table={table} />
        </div>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-left text-sm" aria-busy={fetching} aria-label="Hosts" data-testid="fleet-table">
          <thead className="bg-slate-100 text-xs text-slate-600 uppercase dark:bg-slate-800 dark:text-slate-300">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => {
                  const id = header.column.id;
                  const sortable = SORTABLE_COLUMNS.has(id);
                  const dir = sortId === id ? (desc ? "descending" : "ascending") : "none";
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      aria-sort={sortable ? dir : undefined}
                      className={`px-3 py-2 whitespace-nowrap ${id === "select" ? "w-8" : ""}`}
                    >
                      {sortable ? (
                        <button
                          type="button"
                          onClick={() => setParams({ sort: sortId === id && !desc ? `-${id}` : id })}
                          className="inline-flex items-center gap-1 font-semibold uppercase"
                        >
                          {label}
                          <span aria-hidden className="w-3">
                            {dir === "ascending" ? "▲" : dir === "descending" ? "▼" : ""}
                          </span>
                        </button>
                      ) : (
                        label
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody>
            {table.getRowModel().rows.length === 0 ? (
              <tr>
                <td colSpan={table.getVisibleLeafColumns().length} className="px-3 py-8 text-center text-slate-500">
                  {empty}
                </td>
              </tr>
            ) : (
              table.getRowModel().rows.map((row) => (
                <tr
                  key={row.id}
                  data-host-id={row.id}
                  aria-selected={row.getIsSelected()}
                  className="border-t border-slate-100 hover:bg-slate-50 aria-selected:bg-sky-50 dark:border-slate-800 dark:hover:bg-slate-800/50 dark:aria-selected:bg-sky-950/40"
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-3 py-2 align-top">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
        <nav
          aria-label="Pages"
          className="flex flex-wrap items-center justify-between gap-2 border-t border-slate-200 px-3 py-2 text-sm dark:border-slate-800"
        >
          <span className="text-slate-500" aria-live="polite">
            {first}–{last} of {data.total.toLocaleString()} · page {params.page} of {pages}
          </span>
          <div className="flex items-center gap-2">
            <label htmlFor="page-size" className="text-slate-500">
              Rows
            </label>
            <select
              id="page-size"
              value={params.pageSize}
              onChange={(e) => setParams({ pageSize: e.target.value })}
              className="rounded-md border border-slate-300 bg-white px-1.5 py-1 dark:border-slate-600 dark:bg-slate-900"
            >
              {PAGE_SIZES.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
            <Button
              variant="secondary"
              disabled={params.page <= 1}
              onClick={() => setParams({ page: String(params.page - 1) })}
            >
              Previous
            </Button>
            <Button
              variant="secondary"
              disabled={params.page >= pages}
              onClick={() => setParams({ page: String(params.page + 1) })}
            >
              Next
            </Button>
          </div>
        </nav>
      </div>
    </div>
  );
}
