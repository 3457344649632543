"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { isActiveStatus, type FleetHost } from "@/lib/client/dto";
import { Card } from "../ui/card";
import { useNow } from "../ui/use-now";
import { CacheSizePanel } from "./cache-size-panel";
import { CheckList } from "./check-list";
import { CredentialHold } from "./credential-hold";
import { FactsTable } from "./facts-table";
import { GuestVerification } from "./guest-verification";
import { hostKeys, useHost, useHostScans, useScanDetail } from "./host-queries";
import { HostKeyRetrust } from "./host-key-retrust";
import { HostSummary } from "./host-summary";
import { ManualProbePanel } from "./manual-probe-panel";
import { RawOutputViewer } from "./raw-output-viewer";
import { RescanControl } from "./rescan-control";
import { ScanError } from "./scan-error";
import { ScanTimeline } from "./scan-timeline";
import { VerdictBanner } from "./verdict-banner";
import { ZeroCopyPaths } from "./zero-copy-paths";

type Props = { initialHost: FleetHost; canOperate: boolean; isAdmin: boolean };

// Everything about one host: verdict, zero-copy paths, checks with evidence, cache_size, facts, history, and the
// actions around them.
export function HostView({ initialHost, canOperate, isAdmin }: Props) {
  const client = useQueryClient();
  const now = useNow();
  const host = useHost(initialHost.id, initialHost).data ?? initialHost;
  const scans = useHostScans(host.id);
  const history = scans.data ?? [];
  const latest = history[0];
  const lastFinished = history.find((s) => !isActiveStatus(s.status));
  const current = useScanDetail(host.currentScanId);
  const assessment = current.data?.assessment ?? null;
  const [rawScanId, setRawScanId] = useState<string | null>(null);

  // When the newest scan finishes, the host's verdict and current scan may have moved: refetch them.
  const previousStatus = useRef(latest?.status);
  useEffect(() => {
    const before = previousStatus.current;
    previousStatus.current = latest?.status;
    if (isActiveStatus(before) && latest && !isActiveStatus(latest.status)) {
      void client.invalidateQueries({ queryKey: hostKeys.detail(host.id) });
      void client.invalidateQueries({ queryKey: hostKeys.lists() });
    }
  }, [latest, client, host.id]);

  const mismatch =
    lastFinished?.status === "failed" && lastFinished.error?.class === "host-key-mismatch" ? lastFinished : null;
  const failure = lastFinished?.status === "failed" && !mismatch ? lastFinished.error : null;

  return (
    <div className="space-y-4">
      <RescanControl hostId={host.id} latest={latest} canOperate={canOperate} />
      <VerdictBanner
        verdict={host.verdict}
        headline={assessment?.headline ?? null}
        scanned={host.lastScanAt !== null}
        stale={host.stale}
        staleReason={host.lastErrorClass}
      />
      {host.credentialReviewRequired ? <CredentialHold host={host} isAdmin={isAdmin} /> : null}
      {failure ? <ScanError error={failure} /> : null}
      {mismatch ? (
        <HostKeyRetrust
          hostId={host.id}
          scan={mismatch}
          isAdmin={isAdmin}
          onTrusted={() => void client.invalidateQueries({ queryKey: hostKeys.scans(host.id) })}
        />
      ) : null}

      <Card id="paths-heading" title="Zero-copy paths">
        {current.isPending && host.currentScanId ? (
          <p className="text-sm text-slate-500">Loading paths…</p>
        ) : (
          <ZeroCopyPaths assessment={assessment} guestProfile={host.guestProfile} />
        )}
      </Card>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card id="checks-heading" title="Checks" className="lg:col-span-2">
          {current.isPending && host.currentScanId ? (
            <p className="text-sm text-slate-500">Loading checks…</p>
          ) : (
            <CheckList checks={assessment?.checks ?? []} />
          )}
        </Card>
        <div className="space-y-4">
          <Card id="cache-size-heading" title="Recommended cache_size">
            <CacheSizePanel cacheSize={assessment?.cacheSize ?? null} verdict={host.verdict} />
          </Card>
          <Card id="facts-heading" title="Facts">
            {assessment ? (
              <FactsTable facts={assessment.facts} />
            ) : (
              <p className="text-sm text-slate-500">No facts yet.</p>
            )}
          </Card>
        </div>
      </div>

      <Card id="verify-heading" title="Verify inside the guest">
        <GuestVerification />
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card id="history-heading" title="Scan history">
          {scans.isPending ? (
            <p className="text-sm text-slate-500">Loading history…</p>
          ) : scans.error ? (
            <p className="text-sm text-red-600">{scans.error.message}</p>
          ) : (
            <ScanTimeline
              scans={history}
              selectedId={rawScanId ?? host.currentScanId}
              onSelect={setRawScanId}
              now={now}
            />
          )}
        </Card>
        <Card id="raw-heading" title="Raw probe output">
          <RawOutputViewer scanId={rawScanId ?? host.currentScanId ?? lastFinished?.id ?? null} />
        </Card>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card id="connection-heading" title="Connection">
          <HostSummary host={host} />
        </Card>
        <Card id="manual-heading" title="Run the probe by hand">
          <ManualProbePanel hostId={host.id} canOperate={canOperate} />
        </Card>
      </div>
    </div>
  );
}
