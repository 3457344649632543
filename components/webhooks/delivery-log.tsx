"use client";

import { useDeliveries } from "./webhook-queries";

const when = (iso: string | null) => (iso ? iso.slice(0, 19).replace("T", " ") : "—");

// The endpoint's last deliveries: outcome, answer, latency, attempts, and when the next retry is due.
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const deliveries = useDeliveries(webhookId);
  const rows = deliveries.data?.deliveries ?? [];
  if (deliveries.isLoading) return <p className="text-sm text-slate-500">Loading deliveries…</p>;
  if (rows.length === 0) return <p className="text-sm text-slate-500">No deliveries yet.</p>;
  return (
    <table className="w-full text-left text-xs" aria-label="Delivery log">
      <thead className="text-slate-500">
        <tr>
          <th className="py-1">Created (UTC)</th>
          <th>Event</th>
          <th>Status</th>
          <th>HTTP</th>
          <th>Latency</th>
          <th>Attempts</th>
          <th>Next retry</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} className="border-t border-slate-200 dark:border-slate-800">
            <td className="py-1 font-mono">{when(d.createdAt)}</td>
            <td>{d.event}</td>
            <td data-testid="delivery-status">{d.status}</td>
            <td>{d.lastStatusCode ?? "—"}</td>
            <td>{d.lastLatencyMs === null ? "—" : `${d.lastLatencyMs} ms`}</td>
            <td>{d.attempts}</td>
            <td className="font-mono">{d.status === "retrying" ? when(d.nextAttemptAt) : "—"}</td>
            <td className="break-all">{d.lastError ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
