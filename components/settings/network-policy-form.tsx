"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, TextArea } from "../ui/field";
import { useSaveScanSettings, useScanSettings, type ScanSettings } from "./settings-queries";

const lines = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((l) => l.trim())
    .filter(Boolean);

// Allowed and denied CIDRs for scan targets (issue 12). Empty allow list = every address, as before.
export function NetworkPolicyForm() {
  const settings = useScanSettings();
  if (settings.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (settings.error) return <Alert>{settings.error.message}</Alert>;
  return <NetworkPolicyEditor initial={settings.data} />;
}

function NetworkPolicyEditor({ initial }: { initial: ScanSettings }) {
  const save = useSaveScanSettings();
  const [allow, setAllow] = useState(initial.scanAllowCidrs.join("\n"));
  const [deny, setDeny] = useState(initial.scanDenyCidrs.join("\n"));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ scanAllowCidrs: lines(allow), scanDenyCidrs: lines(deny) });
  }
  const fieldError = (name: string) =>
    save.error && "field" in save.error && String(save.error.field ?? "").startsWith(name)
      ? save.error.message
      : undefined;
  return (
    <form onSubmit={onSubmit} aria-label="Scan network policy" className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Allowed ranges"
          htmlFor="scan-allow"
          hint="One CIDR per line. Empty: every address."
          error={fieldError("scanAllowCidrs")}
        >
          <TextArea
            id="scan-allow"
            rows={4}
            value={allow}
            onChange={(e) => setAllow(e.target.value)}
            placeholder={"10.0.0.0/8\nfd00::/8"}
          />
        </Field>
        <Field
          label="Denied ranges"
          htmlFor="scan-deny"
          hint="One CIDR per line. A denied range wins over an allowed one."
          error={fieldError("scanDenyCidrs")}
        >
          <TextArea
            id="scan-deny"
            rows={4}
            value={deny}
            onChange={(e) => setDeny(e.target.value)}
            placeholder={"169.254.0.0/16\n10.20.0.0/16"}
          />
        </Field>
      </div>
      {save.error && !fieldError("scan") ? <Alert>{save.error.message}</Alert> : null}
      {save.isSuccess ? <Alert tone="success">Saved. Workers apply it within a few seconds.</Alert> : null}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save network policy"}
      </Button>
    </form>
  );
}
