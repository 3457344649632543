import { Suspense } from "react";
import { FleetView } from "@/components/fleet/fleet-view";
import { requirePageActor } from "@/lib/auth/page-actor";
import { roleAtLeast } from "@/lib/auth/roles";

export default async function FleetPage() {
  const actor = await requirePageActor();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Fleet readiness</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">Can each server run Cloud Hypervisor microVMs with a virtio-fs DAX window, and with what cache_size?</p>
      </div>
      <Suspense fallback={<p className="py-8 text-center text-sm text-slate-500">Loading hosts…</p>}>
        <FleetView canOperate={roleAtLeast(actor.role, "operator")} />
      </Suspense>
    </div>
  );
}
