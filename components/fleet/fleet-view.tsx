"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { isActiveStatus } from "@/lib/client/dto";
import { bestPathList, hasFilters, verdictList } from "@/lib/client/fleet-params";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useBulkRescan, useHostList, type InitialHostList } from "../hosts/host-queries";
import { exportHref, useFleetSummary } from "./fleet-queries";
import { BestPathTiles } from "./best-path-tiles";
import { ChartsSkeleton } from "./chart-frame";
import { FleetFilters } from "./fleet-filters";
import { FleetTable } from "./fleet-table";
import { SummaryTiles } from "./summary-tiles";
import { useFleetUrl } from "./use-fleet-url";

// recharts is the heaviest thing on the page: load it after the table so rows paint first.
const FleetCharts = dynamic(() => import("./fleet-charts").then((m) => m.FleetCharts), {
  ssr: false,
  loading: () => <ChartsSkeleton />,
});

const linkButton = "inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium";

function EmptyFleet({ canRegister }: { canRegister: boolean }) {
  return (
    <div
      className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700"
      data-testid="empty-fleet"
    >
      <p className="text-base font-medium">No hosts yet</p>
      <p className="mx-auto mt-1 max-w-xl text-sm text-slate-500 dark:text-slate-400">
        Register an arm64 server with its SSH address and a read-only user. DAXboard connects, runs one read-only probe
        and tells you whether virtio-fs DAX can work there.
      </p>
      {canRegister ? (
        <div className="mt-4 flex justify-center gap-2">
          <Link href="/hosts/new" className={`${linkButton} bg-sky-600 text-white hover:bg-sky-700`}>
            Register your first host
          </Link>
          <Link
            href="/hosts/import"
            className={`${linkButton} border border-slate-300 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800`}
          >
            Import an inventory
          </Link>
        </div>
      ) : (
        <p className="mt-3 text-sm">Ask an operator to register hosts.</p>
      )}
    </div>
  );
}

// The fleet page: verdict and best-path tiles, charts, filters and the host table, all driven by the URL.
export function FleetView({ canOperate, initial }: { canOperate: boolean; initial?: InitialHostList }) {
  const { params, setParams } = useFleetUrl();
  const { filters } = params;
  const hosts = useHostList(params, initial);
  const summary = useFleetSummary(filters);
  const bulk = useBulkRescan();
  const verdicts = verdictList(filters);
  const bestPaths = bestPathList(filters);
  const inFlight = hosts.data?.hosts.filter((h) => isActiveStatus(h.activeScan?.status)).length ?? 0;

  if (hosts.data && hosts.data.total === 0 && !hasFilters(filters)) return <EmptyFleet canRegister={canOperate} />;

  return (
    <div className="space-y-5">
      <SummaryTiles
        summary={summary.data}
        loading={summary.isPending}
        selected={verdicts}
        stale={filters.stale === "true"}
        onVerdict={(v) => setParams({ verdict: verdicts.length === 1 && verdicts[0] === v ? undefined : v })}
        onStale={() => setParams({ stale: filters.stale === "true" ? undefined : "true" })}
      />
      <BestPathTiles
        summary={summary.data}
        loading={summary.isPending}
        selected={bestPaths}
        onSelect={(p) => setParams({ bestPath: bestPaths.length === 1 && bestPaths[0] === p ? undefined : p })}
      />
      {summary.error ? <Alert tone="info">Fleet summary unavailable: {summary.error.message}</Alert> : null}
      {summary.data ? <FleetCharts summary={summary.data} /> : summary.error ? null : <ChartsSkeleton />}

      <section aria-labelledby="hosts-heading" className="space-y-3">
        <div className="flex flex-wrap items-baseline gap-2">
          <h2 id="hosts-heading" className="text-lg font-semibold">
            Hosts{" "}
            {hosts.data ? (
              <span className="text-sm font-normal text-slate-500">({hosts.data.total.toLocaleString()})</span>
            ) : null}
          </h2>
          <p aria-live="polite" className="text-sm text-sky-700 dark:text-sky-300" data-testid="fleet-live">
            {inFlight > 0 ? `${inFlight} scan${inFlight === 1 ? "" : "s"} in flight on this page` : ""}
          </p>
        </div>
        <FleetFilters filters={filters} summary={summary.data} setParams={setParams} />
        {hosts.error ? <Alert>Could not load hosts: {hosts.error.message}</Alert> : null}
        {bulk.error ? <Alert>Rescan failed: {bulk.error.message}</Alert> : null}
        {bulk.data ? (
          <Alert tone="success">
            Queued {bulk.data.created} scan{bulk.data.created === 1 ? "" : "s"} for {bulk.data.requested} host
            {bulk.data.requested === 1 ? "" : "s"}
            {bulk.data.requested > bulk.data.created
              ? ` (${bulk.data.requested - bulk.data.created} already in flight)`
              : ""}
            .
          </Alert>
        ) : null}
        {hosts.isPending ? (
          <p className="py-8 text-center text-sm text-slate-500" role="status">
            Loading hosts…
          </p>
        ) : hosts.data ? (
          <FleetTable
            data={hosts.data}
            params={params}
            setParams={setParams}
            fetching={hosts.isFetching}
            empty="No hosts match these filters."
            toolbar={(selectedIds, clear) => (
              <>
                {canOperate ? (
                  <Button
                    disabled={selectedIds.length === 0 || bulk.isPending}
                    onClick={() => bulk.mutate({ hostIds: selectedIds }, { onSuccess: clear })}
                  >
                    {bulk.isPending
                      ? "Queueing…"
                      : `Rescan selected${selectedIds.length ? ` (${selectedIds.length})` : ""}`}
                  </Button>
                ) : null}
                <a
                  href={exportHref("csv", filters, params.sort)}
                  download
                  className={`${linkButton} border border-slate-300 bg-white hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:hover:bg-slate-700`}
                >
                  Export CSV
                </a>
                <a
                  href={exportHref("json", filters, params.sort)}
                  download
                  className={`${linkButton} text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800`}
                >
                  JSON
                </a>
                {canOperate ? (
                  <Link
                    href="/hosts/import"
                    className={`${linkButton} text-sky-700 hover:bg-slate-100 dark:text-sky-400 dark:hover:bg-slate-800`}
                  >
                    Import hosts
                  </Link>
                ) : null}
              </>
            )}
          />
        ) : null}
      </section>
    </div>
  );
}
