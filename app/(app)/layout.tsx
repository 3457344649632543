import type { ReactNode } from "react";
import { AppNav } from "@/components/ui/app-nav";
import { requirePageActor } from "@/lib/auth/page-actor";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  return (
    <>
      <AppNav label={actor.label} role={actor.role} />
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </>
  );
}
