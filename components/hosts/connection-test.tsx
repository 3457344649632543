"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";
import { apiFetch } from "@/lib/client/api";
import { isActiveStatus } from "@/lib/client/dto";
import { useQueryClient } from "@tanstack/react-query";
import { hostKeys, useHostScans } from "./host-queries";
import { ScanError } from "./scan-error";
import { VerdictBadge } from "./verdict-badge";

// "Test connection": queue one scan for the host and follow it live to its verdict or its error.
export function ConnectionTest({ hostId, hostName }: { hostId: string; hostName: string }) {
  const client = useQueryClient();
  const scans = useHostScans(hostId);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void apiFetch(`/api/hosts/${encodeURIComponent(hostId)}/scans`, { method: "POST" }).then(() =>
      client.invalidateQueries({ queryKey: hostKeys.scans(hostId) }),
    );
  }, [hostId, client]);

  const latest = scans.data?.[0];
  const running = !latest || isActiveStatus(latest.status);
  return (
    <section
      aria-labelledby="test-heading"
      data-testid="connection-test"
      className="max-w-2xl space-y-2 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 id="test-heading" className="font-semibold">
        Testing the connection to {hostName}
      </h2>
      <p aria-live="polite" className="text-sm" data-testid="connection-test-status">
        {running
          ? `Scan ${latest?.status ?? "queued"}…`
          : latest.status === "succeeded"
            ? "Connected and probed."
            : "The scan failed."}
      </p>
      {latest && latest.status === "succeeded" ? <VerdictBadge verdict={latest.verdict} scanned /> : null}
      {latest?.error ? <ScanError error={latest.error} /> : null}
      <Link href={`/hosts/${hostId}`} className="inline-block text-sm text-sky-700 hover:underline dark:text-sky-400">
        Open {hostName} →
      </Link>
    </section>
  );
}
