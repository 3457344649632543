"use client";

import type { Table } from "@tanstack/react-table";
import type { FleetHost } from "@/lib/client/dto";

// A <details> disclosure: keyboard- and screen-reader-friendly without a popover library.
export function ColumnChooser({ table }: { table: Table<FleetHost> }) {
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700">
        Columns
      </summary>
      <fieldset className="absolute right-0 z-20 mt-1 w-48 space-y-1 rounded-md border border-slate-200 bg-white p-2 shadow-lg dark:border-slate-700 dark:bg-slate-900">
        <legend className="sr-only">Visible columns</legend>
        {table
          .getAllLeafColumns()
          .filter((c) => c.getCanHide())
          .map((c) => (
            <label key={c.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
              {typeof c.columnDef.header === "string" ? c.columnDef.header : c.id}
            </label>
          ))}
      </fieldset>
    </details>
  );
}
