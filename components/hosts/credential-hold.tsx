"use client";

import { useState } from "react";
import type { FleetHost } from "@/lib/client/dto";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useConfirmCredential } from "./host-queries";

// After an admin moved a host (new address or jump host), its stored secret is held: scans fail as
// credential-held until an admin confirms the secret may go to the new destination, or enters a new one.
export function CredentialHold({ host, isAdmin }: { host: FleetHost; isAdmin: boolean }) {
  const confirm = useConfirmCredential(host.id);
  const [checked, setChecked] = useState(false);
  if (confirm.isSuccess)
    return <Alert tone="success">Credential confirmed for {host.address}. Rescan to read the host.</Alert>;
  const where = `${host.username}@${host.address}:${host.port}`;
  return (
    <section
      aria-labelledby="credential-hold-heading"
      data-testid="credential-hold"
      className="space-y-3 rounded-lg border-2 border-amber-300 bg-white p-4 dark:border-amber-700 dark:bg-slate-900"
    >
      <h2 id="credential-hold-heading" className="text-base font-semibold">
        Credential held for review
      </h2>
      <p className="text-sm">
        This host&apos;s address or jump host changed. DAXboard will not send its stored {host.authMethod} anywhere
        until an admin confirms it belongs to <code className="font-mono text-xs">{where}</code>
        {host.jumpHost ? " through the configured jump host" : ""}, or enters a new one. The pinned host key was
        dropped: the next scan pins the key it sees before logging in.
      </p>
      {isAdmin ? (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            if (checked) confirm.mutate();
          }}
        >
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              checked={checked}
              onChange={(e) => setChecked(e.target.checked)}
              className="mt-0.5"
            />
            I checked that the stored credential is meant for {where}.
          </label>
          <Button type="submit" disabled={!checked || confirm.isPending}>
            {confirm.isPending ? "Confirming…" : "Confirm credential"}
          </Button>
          {confirm.error ? <Alert>{confirm.error.message}</Alert> : null}
        </form>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">Only an admin can confirm it.</p>
      )}
    </section>
  );
}
