"use client";

import { useState, useSyncExternalStore, type ChangeEvent, type FormEvent } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Snippet } from "../ui/copy-button";
import { TextArea } from "../ui/field";
import { useUploadProbeOutput } from "./host-queries";

const noSubscription = () => () => undefined;

// For hosts DAXboard cannot reach: run the read-only probe by hand, then upload or paste its output.
export function ManualProbePanel({ hostId, canOperate }: { hostId: string; canOperate: boolean }) {
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "https://daxboard.example",
  );
  const [output, setOutput] = useState("");
  const upload = useUploadProbeOutput(hostId);

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) setOutput(await file.text());
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (output.trim()) upload.mutate(output, { onSuccess: () => setOutput("") });
  }

  return (
    <div className="space-y-3 text-sm">
      <p>On the host (any user; the probe only reads), run:</p>
      <Snippet text={`curl -fsS ${origin}/probe.sh | sh > out.txt`} label="Copy the probe command" />
      <p className="text-slate-600 dark:text-slate-400">
        No network from the host? Copy{" "}
        <a className="text-sky-700 underline dark:text-sky-400" href="/probe.sh">
          probe.sh
        </a>{" "}
        over and run <code className="font-mono text-xs">sh probe.sh &gt; out.txt</code>.
      </p>
      {canOperate ? (
        <form onSubmit={onSubmit} className="space-y-2" aria-label="Upload probe output">
          <label htmlFor="probe-output" className="block font-medium">
            Probe output (out.txt)
          </label>
          <TextArea
            id="probe-output"
            rows={5}
            value={output}
            onChange={(e) => setOutput(e.target.value)}
            placeholder="daxboard-probe 1 boundary=…"
          />
          <div className="flex flex-wrap items-center gap-2">
            <input
              type="file"
              aria-label="Upload out.txt"
              accept=".txt,text/plain"
              onChange={onFile}
              className="text-sm"
            />
            <Button type="submit" disabled={!output.trim() || upload.isPending} className="ml-auto">
              {upload.isPending ? "Importing…" : "Import output"}
            </Button>
          </div>
          {upload.error ? <Alert>{upload.error.message}</Alert> : null}
          {upload.data ? (
            <Alert tone="success">
              Imported:{" "}
              {upload.data.scan.status === "succeeded"
                ? "the host's facts and verdict are updated."
                : `scan ${upload.data.scan.status}.`}
            </Alert>
          ) : null}
        </form>
      ) : (
        <p className="text-slate-500">An operator can upload the output here.</p>
      )}
    </div>
  );
}
