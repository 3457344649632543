// The frame every fleet chart sits in, and the skeleton shown until the charts arrive. Both share one grid and one
// panel size, so the filters and the table below do not jump when recharts loads (a click aimed at them would land
// elsewhere).
export const CHART_TITLES = [
  "Verdict distribution",
  "Best zero-copy path",
  "Hosts by product",
  "Hosts by CPU core",
  "Hosts by page size",
  "Hosts by Cloud Hypervisor version",
  "Hosts by kernel series",
] as const;
export type ChartTitle = (typeof CHART_TITLES)[number];

const GRID = "grid gap-3 sm:grid-cols-2 xl:grid-cols-3";

export function ChartGrid({ children }: { children: React.ReactNode }) {
  return (
    <section aria-label="Fleet charts" className={GRID}>
      {children}
    </section>
  );
}

// `text` is the chart's numbers as text for screen readers; the drawing itself is hidden from them.
export function ChartFrame({
  title,
  children,
  text,
}: {
  title: ChartTitle;
  children: React.ReactNode;
  text?: React.ReactNode;
}) {
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <figcaption className="mb-2 truncate text-sm font-medium" title={title}>
        {title}
      </figcaption>
      <div className="h-44" aria-hidden>
        {children}
      </div>
      {text}
    </figure>
  );
}

export function ChartsSkeleton() {
  return (
    <div className={GRID} aria-hidden data-testid="charts-loading">
      {CHART_TITLES.map((title) => (
        <ChartFrame key={title} title={title}>
          <div className="h-full animate-pulse rounded bg-slate-100 dark:bg-slate-800" />
        </ChartFrame>
      ))}
    </div>
  );
}
