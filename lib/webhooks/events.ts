// The events a webhook endpoint can subscribe to (issue 14 item 2).
export const WEBHOOK_EVENTS = [
  "verdict-changed",
  // Page size, kernel, Cloud Hypervisor or virtiofsd changed between two successful scans (lib/scan/drift.ts).
  "drift",
  "host-key-changed",
  // The host's scans failed `failureThreshold` times in a row since its last success.
  "scan-failed-repeatedly",
  // A host's first successful scan found a zero-copy path ready.
  "host-ready",
  // Sent only by "Send test event".
  "test",
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const SUBSCRIBABLE_EVENTS = WEBHOOK_EVENTS.filter((e) => e !== "test");

export type WebhookPayload = {
  event: WebhookEvent;
  occurredAt: string;
  host: { id: string; name: string; address: string } | null;
  scanId?: string;
  verdict?: string | null;
  bestPath?: string | null;
  changes?: { field: string; from: unknown; to: unknown }[];
  errorClass?: string;
  failures?: number;
  message?: string;
};
