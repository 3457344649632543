import { Suspense } from "react";
import { FleetView } from "@/components/fleet/fleet-view";
import { requirePageActor } from "@/lib/auth/page-actor";
import { roleAtLeast } from "@/lib/auth/roles";
import type { HostList } from "@/lib/client/dto";
import { filterQuery, readFleetParams } from "@/lib/client/fleet-params";
import { listHosts, listHostsQuery } from "@/lib/hosts/list-hosts";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// The first page of hosts is read on the server, so rows are in the first paint; the client takes over from there.
async function firstPage(search: URLSearchParams) {
  const params = readFleetParams(search);
  const query = listHostsQuery.safeParse(
    Object.fromEntries(
      new URLSearchParams(
        filterQuery(params.filters, { sort: params.sort, page: params.page, pageSize: params.pageSize }),
      ),
    ),
  );
  if (!query.success) return undefined; // the client shows the API's message for a bad filter
  return { params, data: (await listHosts(query.data)) as HostList };
}

export default async function FleetPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageActor();
  const raw = await searchParams;
  const search = new URLSearchParams(Object.entries(raw).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : [])));
  const initial = await firstPage(search);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Fleet readiness</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Which zero-copy path (virtio-fs DAX, virtio-pmem + DAX filesystem, KSM) lets each server share one copy of
          libraries and models across Cloud Hypervisor microVMs, and what blocks the others?
        </p>
      </div>
      <Suspense fallback={<p className="py-8 text-center text-sm text-slate-500">Loading hosts…</p>}>
        <FleetView canOperate={roleAtLeast(actor.role, "operator")} initial={initial} />
      </Suspense>
    </div>
  );
}
