import { Suspense } from "react";
import { AuditLog } from "@/components/admin/audit-log";
import { requirePageActor } from "@/lib/auth/page-actor";

export default async function AuditPage() {
  await requirePageActor("admin");
  // The log reads its filters from the URL on the client (useSearchParams needs a Suspense boundary).
  return (
    <Suspense fallback={<p className="py-8 text-center text-sm text-slate-500">Loading audit events…</p>}>
      <AuditLog />
    </Suspense>
  );
}
