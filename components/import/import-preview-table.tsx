import type { ImportPreview } from "./import-queries";

// Every row of the document, valid or not, with the reason a row cannot be imported. Nothing is dropped silently.
export function ImportPreviewTable({ preview }: { preview: ImportPreview }) {
  const { counts } = preview;
  return (
    <div className="space-y-2">
      <p className="text-sm" data-testid="import-counts" aria-live="polite">
        {counts.total} row{counts.total === 1 ? "" : "s"}: <strong>{counts.valid} valid</strong> ({counts.create} new,{" "}
        {counts.update} update
        {counts.update === 1 ? "" : "s"}),{" "}
        <strong className={counts.invalid ? "text-red-700 dark:text-red-400" : ""}>{counts.invalid} invalid</strong>
        {counts.invalid ? " — invalid rows are not imported; fix them in the document and preview again." : ""}
      </p>
      <div className="max-h-[28rem] overflow-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table className="w-full text-left text-sm" aria-label="Import preview" data-testid="import-preview">
          <thead className="sticky top-0 bg-slate-100 text-xs text-slate-600 uppercase dark:bg-slate-800 dark:text-slate-300">
            <tr>
              {["Line", "Status", "Name", "Address", "Port", "User", "Tags", "Action"].map((h) => (
                <th key={h} scope="col" className="px-2 py-1.5">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="bg-white dark:bg-slate-900">
            {preview.rows.map((row) => (
              <tr
                key={`${row.line}-${row.name}`}
                data-valid={row.valid}
                className={`border-t border-slate-100 dark:border-slate-800 ${row.valid ? "" : "bg-red-50 dark:bg-red-950/40"}`}
              >
                <td className="px-2 py-1 tabular-nums text-slate-500">{row.line}</td>
                <td className="px-2 py-1">
                  {row.valid ? (
                    <span className="text-emerald-700 dark:text-emerald-400">✓ valid</span>
                  ) : (
                    <span className="text-red-700 dark:text-red-300">
                      ✕ invalid{row.field ? ` (${row.field})` : ""}: {row.error}
                    </span>
                  )}
                </td>
                <td className="px-2 py-1 font-medium">{row.name || <span className="text-slate-400">—</span>}</td>
                <td className="px-2 py-1 font-mono text-xs">{row.address ?? "—"}</td>
                <td className="px-2 py-1 tabular-nums">{row.port ?? "—"}</td>
                <td className="px-2 py-1">{row.username ?? "—"}</td>
                <td className="px-2 py-1 text-xs">{row.tags.join(", ")}</td>
                <td className="px-2 py-1">{row.valid ? row.action : "skip"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
