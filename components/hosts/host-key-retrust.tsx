"use client";

import { useState } from "react";
import type { ScanView } from "@/lib/client/dto";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useRetrustHostKey } from "./host-queries";

// After a host-key-mismatch scan: the pinned (old) and presented (new) fingerprints side by side. Admins confirm
// they verified the new key out of band, then pin it (audited server-side); everyone else is told who can.
export function HostKeyRetrust({
  hostId,
  scan,
  isAdmin,
  onTrusted,
}: {
  hostId: string;
  scan: ScanView;
  isAdmin: boolean;
  onTrusted: () => void;
}) {
  const retrust = useRetrustHostKey(hostId);
  const [verified, setVerified] = useState(false);
  const detail = scan.error?.detail ?? {};
  const presented = typeof detail.presentedFingerprint === "string" ? detail.presentedFingerprint : null;
  const expected = typeof detail.expectedFingerprint === "string" ? detail.expectedFingerprint : null;
  // A jump host's key is re-trusted on the jump host, never on this host (the server decides; this only says so).
  const jump = detail.host === "jump";

  if (retrust.isSuccess)
    return <Alert tone="success">New host key trusted. Rescan to read the host&apos;s facts.</Alert>;
  return (
    <section
      aria-labelledby="retrust-heading"
      data-testid="host-key-retrust"
      className="space-y-3 rounded-lg border-2 border-red-300 bg-white p-4 dark:border-red-800 dark:bg-slate-900"
    >
      <h2 id="retrust-heading" className="text-base font-semibold">
        {jump ? "Jump host key changed" : "Host key changed"}
      </h2>
      <p className="text-sm">
        The host presented a different SSH host key than the one pinned. This can be a reinstall — or someone in the
        middle. Compare the new fingerprint with the one on the host (
        <code className="font-mono text-xs">ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>) before trusting it.
      </p>
      <dl className="grid gap-2 text-sm sm:grid-cols-[auto_1fr]">
        <dt className="text-slate-500">Pinned (old)</dt>
        <dd className="font-mono break-all" data-testid="old-fingerprint">
          {expected ?? "—"}
        </dd>
        <dt className="text-slate-500">Presented (new)</dt>
        <dd className="font-mono break-all" data-testid="new-fingerprint">
          {presented ?? "—"}
          {typeof detail.presentedAlgorithm === "string" ? (
            <span className="text-slate-500"> ({detail.presentedAlgorithm})</span>
          ) : null}
        </dd>
      </dl>
      {isAdmin && presented ? (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (verified) retrust.mutate(presented, { onSuccess: onTrusted });
          }}
        >
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              checked={verified}
              onChange={(e) => setVerified(e.target.checked)}
              className="mt-0.5"
            />
            I verified the new fingerprint on the host, out of band.
          </label>
          <Button type="submit" variant="danger" disabled={!verified || retrust.isPending}>
            {retrust.isPending ? "Trusting…" : jump ? "Trust the jump host's new key" : "Trust the new host key"}
          </Button>
          {retrust.error ? <Alert>{retrust.error.message}</Alert> : null}
        </form>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="retrust-admin-only">
          Only an admin can trust the new key.
        </p>
      )}
    </section>
  );
}
