"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/lib/client/api";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, TextInput, inputClass } from "../ui/field";
import { useSaveWebhook, type WebhookRow } from "./webhook-queries";

export const EVENT_LABELS: Record<string, string> = {
  "verdict-changed": "Verdict changed",
  drift: "Drift: page size, kernel, Cloud Hypervisor or virtiofsd",
  "host-key-changed": "Host key changed",
  "scan-failed-repeatedly": "Scan failed N times in a row",
  "host-ready": "New host ready",
};

// Add (no `webhook`) or edit an endpoint. The secret field is write-only: left empty on edit it keeps the stored
// secret; "Remove secret" clears it.
export function WebhookForm({ webhook, onDone }: { webhook?: WebhookRow; onDone: () => void }) {
  const save = useSaveWebhook();
  const [clearSecret, setClearSecret] = useState(false);
  const error = save.error instanceof ApiError ? save.error : null;

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const secret = String(form.get("secret") ?? "");
    const body: Record<string, unknown> = {
      name: String(form.get("name")),
      url: String(form.get("url")),
      format: String(form.get("format")),
      events: form.getAll("events").map(String),
      failureThreshold: Number(form.get("failureThreshold")),
    };
    if (secret) body.secret = secret;
    else if (clearSecret) body.secret = "";
    if (webhook) body.enabled = form.get("enabled") === "on";
    const ok = await save.mutateAsync({ id: webhook?.id, body }).then(
      () => true,
      () => false,
    );
    if (ok) onDone();
  }

  const id = (f: string) => `webhook-${webhook?.id ?? "new"}-${f}`;
  return (
    <form onSubmit={onSubmit} className="space-y-3" aria-label={webhook ? `Edit ${webhook.name}` : "Add webhook"}>
      {error ? <Alert>{error.message}</Alert> : null}
      <Field label="Name" htmlFor={id("name")}>
        <TextInput id={id("name")} name="name" required defaultValue={webhook?.name} />
      </Field>
      <Field label="URL" htmlFor={id("url")} hint="http:// or https://">
        <TextInput id={id("url")} name="url" type="url" required defaultValue={webhook?.url} />
      </Field>
      <Field
        label="Signing secret"
        htmlFor={id("secret")}
        hint={webhook?.hasSecret ? "A secret is set; leave empty to keep it." : "Optional: signs each request."}
      >
        <TextInput id={id("secret")} name="secret" type="password" autoComplete="new-password" />
      </Field>
      {webhook?.hasSecret ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={clearSecret} onChange={(e) => setClearSecret(e.target.checked)} />
          Remove secret
        </label>
      ) : null}
      <Field label="Format" htmlFor={id("format")}>
        <select id={id("format")} name="format" defaultValue={webhook?.format ?? "json"} className={inputClass}>
          <option value="json">JSON (signed)</option>
          <option value="slack">Slack-compatible text</option>
        </select>
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium">Events</legend>
        {Object.entries(EVENT_LABELS).map(([value, label]) => (
          <label key={value} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="events" value={value} defaultChecked={webhook?.events.includes(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      <Field label="Failures in a row before alerting" htmlFor={id("threshold")}>
        <TextInput
          id={id("threshold")}
          name="failureThreshold"
          type="number"
          min={1}
          max={100}
          defaultValue={webhook?.failureThreshold ?? 3}
        />
      </Field>
      {webhook ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={webhook.enabled} />
          Enabled
        </label>
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          {webhook ? "Save" : "Add webhook"}
        </Button>
        {webhook ? (
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        ) : null}
      </div>
    </form>
  );
}
