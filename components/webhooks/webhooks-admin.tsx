"use client";

import { useState } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { DeliveryLog } from "./delivery-log";
import { EVENT_LABELS, WebhookForm } from "./webhook-form";
import { useDeleteWebhook, useSendTestEvent, useWebhooks, type WebhookRow } from "./webhook-queries";

function WebhookCard({ webhook }: { webhook: WebhookRow }) {
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const sendTest = useSendTestEvent(webhook.id);
  const remove = useDeleteWebhook();
  if (editing) return <WebhookForm webhook={webhook} onDone={() => setEditing(false)} />;
  return (
    <article
      className="space-y-2 rounded-md border border-slate-200 p-3 dark:border-slate-800"
      aria-label={webhook.name}
    >
      <div className="flex flex-wrap items-baseline gap-2">
        <h3 className="font-medium">{webhook.name}</h3>
        <span className="font-mono text-xs break-all text-slate-500">{webhook.url}</span>
        <span className="text-xs text-slate-500">
          {webhook.format} · {webhook.hasSecret ? "signed" : "no secret"} · {webhook.enabled ? "enabled" : "disabled"}
        </span>
      </div>
      {webhook.disabledReason ? <Alert>{webhook.disabledReason}</Alert> : null}
      <p className="text-xs text-slate-600 dark:text-slate-300">
        {webhook.events.map((e) => EVENT_LABELS[e] ?? e).join(" · ")}
        {webhook.events.includes("scan-failed-repeatedly") ? ` (after ${webhook.failureThreshold})` : ""}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" onClick={() => sendTest.mutate()} disabled={sendTest.isPending}>
          Send test event
        </Button>
        <Button variant="secondary" onClick={() => setShowLog((v) => !v)} aria-expanded={showLog}>
          Delivery log
        </Button>
        <Button variant="secondary" onClick={() => setEditing(true)}>
          Edit
        </Button>
        <Button
          variant="danger"
          onClick={() => confirm(`Delete webhook ${webhook.name} and its delivery log?`) && remove.mutate(webhook.id)}
        >
          Delete
        </Button>
      </div>
      {sendTest.isSuccess ? <p className="text-xs text-slate-500">Test event queued.</p> : null}
      {showLog ? <DeliveryLog webhookId={webhook.id} /> : null}
    </article>
  );
}

export function WebhooksAdmin() {
  const webhooks = useWebhooks();
  const [formKey, setFormKey] = useState(0);
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section className="space-y-3 lg:col-span-2" aria-labelledby="webhooks-h">
        <h2 id="webhooks-h" className="text-lg font-semibold">
          Webhooks
        </h2>
        {webhooks.error ? <Alert>{webhooks.error.message}</Alert> : null}
        {webhooks.data?.webhooks.length === 0 ? (
          <p className="text-sm text-slate-500">No endpoints yet: add one to be told about drift and failures.</p>
        ) : null}
        {webhooks.data?.webhooks.map((w) => (
          <WebhookCard key={w.id} webhook={w} />
        ))}
      </section>
      <section aria-labelledby="add-webhook-h">
        <h2 id="add-webhook-h" className="mb-2 text-lg font-semibold">
          Add webhook
        </h2>
        <WebhookForm key={formKey} onDone={() => setFormKey((k) => k + 1)} />
      </section>
    </div>
  );
}
