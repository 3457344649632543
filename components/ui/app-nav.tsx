"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { apiFetch } from "@/lib/client/api";
import type { Role } from "@/lib/auth/roles";
import { Button } from "./button";

type Props = { label: string; role: Role };

function toggleTheme() {
  const dark = document.documentElement.classList.toggle("dark");
  localStorage.setItem("daxboard-theme", dark ? "dark" : "light");
}

export function AppNav({ label, role }: Props) {
  const pathname = usePathname();
  const router = useRouter();
  const links = [
    { href: "/", text: "Fleet", show: true },
    { href: "/hosts/new", text: "Register host", show: role !== "viewer" },
    { href: "/hosts/import", text: "Import hosts", show: role !== "viewer" },
    { href: "/admin/users", text: "Users", show: role === "admin" },
    { href: "/admin/tokens", text: "API tokens", show: role === "admin" },
    { href: "/admin/webhooks", text: "Webhooks", show: role === "admin" },
    { href: "/admin/settings", text: "Settings", show: true }, // viewers read the guest profiles there
    { href: "/admin/audit", text: "Audit log", show: role === "admin" },
    { href: "/account", text: "Account", show: true },
  ];
  async function logout() {
    await apiFetch("/api/auth/logout", { method: "POST" }).catch(() => undefined);
    router.replace("/login");
    router.refresh();
  }
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl flex-wrap items-center gap-1 px-4 py-2">
        <Link href="/" className="mr-4 font-semibold tracking-tight">
          DAX<span className="text-sky-600">board</span>
        </Link>
        {links
          .filter((l) => l.show)
          .map((l) => {
            const active = l.href === "/" ? pathname === "/" : pathname.startsWith(l.href);
            return (
              <Link
                key={l.href}
                href={l.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-2.5 py-1.5 text-sm ${active ? "bg-slate-200 font-medium dark:bg-slate-800" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
              >
                {l.text}
              </Link>
            );
          })}
        <div className="ml-auto flex items-center gap-2 text-sm">
          <span className="hidden text-slate-500 sm:inline dark:text-slate-400">
            {label} · <span data-testid="role">{role}</span>
          </span>
          <Button variant="ghost" onClick={toggleTheme} aria-label="Toggle dark mode" title="Toggle dark mode">
            ◐
          </Button>
          <Button variant="secondary" onClick={logout}>
            Log out
          </Button>
        </div>
      </nav>
    </header>
  );
}
