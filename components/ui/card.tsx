import type { ReactNode } from "react";

// A titled panel; the heading labels the section for screen readers.
export function Card({
  id,
  title,
  actions,
  children,
  className = "",
}: {
  id: string;
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={id}
      className={`rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 ${className}`}
    >
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h2 id={id} className="mr-auto text-base font-semibold">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
