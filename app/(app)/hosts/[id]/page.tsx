import Link from "next/link";
import { notFound } from "next/navigation";
import { HostView } from "@/components/hosts/host-view";
import { DeleteHostButton } from "@/components/hosts/delete-host-button";
import { requirePageActor } from "@/lib/auth/page-actor";
import { roleAtLeast } from "@/lib/auth/roles";
import { getHost } from "@/lib/hosts/get-host";
import { AppError } from "@/lib/api/errors";

export default async function HostPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePageActor();
  const { id } = await params;
  const host = await getHost(id).catch((err) => {
    if (err instanceof AppError && err.status === 404) notFound();
    throw err;
  });
  const canOperate = roleAtLeast(actor.role, "operator");
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/" className="text-sky-700 hover:underline dark:text-sky-400">
          Fleet
        </Link>{" "}
        / {host.name}
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{host.name}</h1>
        <span className="mr-auto font-mono text-sm text-slate-500">
          {host.username}@{host.address}:{host.port}
        </span>
        {canOperate ? <DeleteHostButton id={host.id} name={host.name} /> : null}
      </div>
      <HostView initialHost={host} canOperate={canOperate} isAdmin={actor.role === "admin"} />
    </div>
  );
}
