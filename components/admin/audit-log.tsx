"use client";

import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { AuditFilterForm } from "./audit-filters";
import { auditExportHref, AUDIT_FILTER_KEYS, useAuditLog } from "./audit-queries";
import { AuditTable } from "./audit-table";
import { useAuditUrl } from "./audit-url";

const linkButton =
  "inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700";

// The admin's audit log: filters in the URL, newest first, "load more" pages, and an export of the same view.
export function AuditLog() {
  const { filters, setFilters } = useAuditUrl();
  const log = useAuditLog(filters);
  const events = log.data?.pages.flatMap((p) => p.events) ?? [];
  const filtered = AUDIT_FILTER_KEYS.some((k) => filters[k]);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="mr-auto">
          <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            Who did what, to which host, and when: logins, host and credential changes, scans, tokens, users, settings
            and exports.
          </p>
        </div>
        <a href={auditExportHref("csv", filters)} download className={linkButton}>
          Export CSV
        </a>
        <a href={auditExportHref("json", filters)} download className={linkButton}>
          Export JSON
        </a>
      </div>
      <AuditFilterForm filters={filters} onApply={setFilters} />
      {log.isError && !log.data ? (
        <div className="space-y-2">
          <Alert>Could not load the audit log: {log.error.message}</Alert>
          <Button variant="secondary" onClick={() => log.refetch()}>
            Try again
          </Button>
        </div>
      ) : log.isPending ? (
        <p className="py-8 text-center text-sm text-slate-500" role="status">
          Loading audit events…
        </p>
      ) : events.length === 0 ? (
        <p
          className="rounded-lg border border-dashed border-slate-300 py-8 text-center text-sm text-slate-500 dark:border-slate-700"
          role="status"
        >
          {filtered ? "No audit events match these filters." : "No audit events yet."}
        </p>
      ) : (
        <>
          <AuditTable events={events} />
          <div className="flex flex-wrap items-center gap-3">
            <p className="text-sm text-slate-500 dark:text-slate-400" role="status" aria-live="polite">
              {events.length} {events.length === 1 ? "event" : "events"} shown
              {log.hasNextPage ? "; older ones follow" : ""}
            </p>
            {log.isFetchNextPageError ? <Alert>Could not load more events: {log.error?.message}</Alert> : null}
            {log.hasNextPage ? (
              <Button variant="secondary" onClick={() => log.fetchNextPage()} disabled={log.isFetchingNextPage}>
                {log.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : null}
          </div>
        </>
      )}
    </div>
  );
}
