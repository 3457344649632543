"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, TextInput } from "../ui/field";
import { useSaveScanSettings, useScanSettings, type ScanSettings } from "./settings-queries";

// The background rescan schedule (off by default) and how many scans the workers run at once.
export function ScanSettingsForm() {
  const settings = useScanSettings();
  if (settings.isPending) return <p className="text-sm text-slate-500">Loading…</p>;
  if (settings.error) return <Alert>{settings.error.message}</Alert>;
  return <ScanSettingsEditor initial={settings.data} />;
}

function ScanSettingsEditor({ initial }: { initial: ScanSettings }) {
  const save = useSaveScanSettings();
  const [interval, setIntervalText] = useState(
    initial.scanIntervalMinutes === null ? "" : String(initial.scanIntervalMinutes),
  );
  const [concurrency, setConcurrency] = useState(String(initial.workerConcurrency));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({
      scanIntervalMinutes: interval.trim() ? Number(interval) : null,
      workerConcurrency: Number(concurrency),
    });
  }
  return (
    <form onSubmit={onSubmit} aria-label="Scan schedule" className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Rescan every (minutes)"
          htmlFor="scan-interval"
          hint="Empty turns the schedule off. At least 5 minutes."
        >
          <TextInput
            id="scan-interval"
            type="number"
            min={5}
            value={interval}
            onChange={(e) => setIntervalText(e.target.value)}
            placeholder="off"
          />
        </Field>
        <Field label="Worker concurrency" htmlFor="worker-concurrency" hint="Scans running at once per worker process.">
          <TextInput
            id="worker-concurrency"
            type="number"
            min={1}
            max={512}
            value={concurrency}
            onChange={(e) => setConcurrency(e.target.value)}
          />
        </Field>
      </div>
      {save.error ? <Alert>{save.error.message}</Alert> : null}
      {save.isSuccess ? <Alert tone="success">Saved.</Alert> : null}
      <Button type="submit" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save schedule"}
      </Button>
    </form>
  );
}
