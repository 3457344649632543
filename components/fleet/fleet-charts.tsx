"use client";

import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { CountBucket, FleetSummary } from "@/lib/client/dto";
import { formatPageSize } from "@/lib/client/format";
import { BEST_PATH_META, BEST_PATH_ORDER } from "../hosts/path-meta";
import { VERDICT_META, VERDICT_ORDER } from "../hosts/verdict-meta";
import { bestPathCounts } from "./best-path-tiles";
import { ChartFrame, ChartGrid, type ChartTitle } from "./chart-frame";

const TOP = 8;
const LABEL_CHARS = 22;

const shortLabel = (label: string) => (label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label);

// Long tails fold into "other" so a chart stays readable with hundreds of distinct products.
type Row = { key: string; count: number };

function topBuckets(buckets: CountBucket[], label: (key: string | number) => string): Row[] {
  const sorted = buckets
    .map((b) => ({ key: b.key === null || b.key === "" ? "unknown" : label(b.key), count: b.count }))
    .sort((a, b) => b.count - a.count);
  if (sorted.length <= TOP) return sorted;
  const rest = sorted.slice(TOP - 1).reduce((n, b) => n + b.count, 0);
  return [...sorted.slice(0, TOP - 1), { key: "other", count: rest }];
}

function Panel({ title, children, data }: { title: ChartTitle; children: React.ReactNode; data: Row[] }) {
  const text = (
    <ul className="sr-only">
      {data.map((b) => (
        <li key={b.key}>
          {b.key}: {b.count}
        </li>
      ))}
    </ul>
  );
  return (
    <ChartFrame title={title} text={text}>
      {children}
    </ChartFrame>
  );
}

function BucketChart({
  title,
  buckets,
  label = String,
}: {
  title: ChartTitle;
  buckets: CountBucket[];
  label?: (key: string | number) => string;
}) {
  const data = topBuckets(buckets, label);
  return (
    <Panel title={title} data={data}>
      {data.length === 0 ? (
        <p className="pt-12 text-center text-xs text-slate-500">No data yet</p>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ left: 4, right: 12, top: 0, bottom: 0 }}>
            <CartesianGrid horizontal={false} strokeOpacity={0.2} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 10 }} stroke="currentColor" />
            <YAxis
              type="category"
              dataKey="key"
              width={130}
              tick={{ fontSize: 10 }}
              tickFormatter={shortLabel}
              stroke="currentColor"
              interval={0}
            />
            <Tooltip cursor={{ fillOpacity: 0.1 }} contentStyle={{ fontSize: 12 }} />
            <Bar dataKey="count" fill="#0284c7" radius={[0, 3, 3, 0]} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      )}
    </Panel>
  );
}

// Scanned hosts by the best zero-copy path they offer, in the order A, B, C, then none; each bar in its tile colour.
function BestPathChart({ summary }: { summary: FleetSummary }) {
  const counts = bestPathCounts(summary);
  const data = BEST_PATH_ORDER.map((key) => ({ id: key, key: BEST_PATH_META[key].label, count: counts[key] ?? 0 }));
  return (
    <Panel title="Best zero-copy path" data={data}>
      {data.every((d) => d.count === 0) ? (
        <p className="pt-12 text-center text-xs text-slate-500">No scanned hosts yet</p>
      ) : (
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ left: 4, right: 12, top: 0, bottom: 0 }}>
            <CartesianGrid horizontal={false} strokeOpacity={0.2} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 10 }} stroke="currentColor" />
            <YAxis
              type="category"
              dataKey="key"
              width={130}
              tick={{ fontSize: 10 }}
              stroke="currentColor"
              interval={0}
            />
            <Tooltip cursor={{ fillOpacity: 0.1 }} contentStyle={{ fontSize: 12 }} />
            <Bar dataKey="count" radius={[0, 3, 3, 0]} isAnimationActive={false}>
              {data.map((d) => (
                <Cell key={d.id} fill={BEST_PATH_META[d.id].color} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      )}
    </Panel>
  );
}

// Verdict distribution, best paths and the fleet's make-up. Loaded lazily so the table renders first.
export function FleetCharts({ summary }: { summary: FleetSummary }) {
  const verdicts = VERDICT_ORDER.map((key) => ({
    key,
    label: VERDICT_META[key].label,
    count: summary.verdicts[key] ?? 0,
  })).filter((v) => v.count > 0);
  return (
    <ChartGrid>
      <Panel title="Verdict distribution" data={verdicts.map((v) => ({ key: v.label, count: v.count }))}>
        <ResponsiveContainer width="100%" height="100%">
          <PieChart>
            <Pie
              data={verdicts}
              dataKey="count"
              nameKey="label"
              innerRadius="45%"
              outerRadius="80%"
              isAnimationActive={false}
            >
              {verdicts.map((v) => (
                <Cell key={v.key} fill={VERDICT_META[v.key].color} />
              ))}
            </Pie>
            <Tooltip contentStyle={{ fontSize: 12 }} />
          </PieChart>
        </ResponsiveContainer>
      </Panel>
      <BestPathChart summary={summary} />
      <BucketChart title="Hosts by product" buckets={summary.byProduct} />
      <BucketChart title="Hosts by CPU core" buckets={summary.byCore} />
      <BucketChart title="Hosts by page size" buckets={summary.byPageSize} label={(k) => formatPageSize(Number(k))} />
      <BucketChart title="Hosts by Cloud Hypervisor version" buckets={summary.byChVersion} />
      <BucketChart title="Hosts by kernel series" buckets={summary.byKernelSeries} />
    </ChartGrid>
  );
}
