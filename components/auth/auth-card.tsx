import type { ReactNode } from "react";

export function AuthCard({ title, subtitle, children }: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <p className="text-xs font-semibold tracking-widest text-sky-600 uppercase">DAXboard</p>
        <h1 className="mt-1 text-xl font-semibold">{title}</h1>
        <p className="mt-1 mb-5 text-sm text-slate-500 dark:text-slate-400">{subtitle}</p>
        {children}
      </div>
    </main>
  );
}
