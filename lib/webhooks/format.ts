import type { WebhookPayload } from "./events";

const show = (v: unknown) => (v === null || v === undefined ? "none" : typeof v === "string" ? v : JSON.stringify(v));

const changeList = (p: WebhookPayload) => (p.changes ?? []).map((c) => `${c.field} ${show(c.from)} → ${show(c.to)}`);

// One line a person reads in chat.
export function summarize(p: WebhookPayload): string {
  const host = p.host ? `${p.host.name} (${p.host.address})` : "DAXboard";
  switch (p.event) {
    case "verdict-changed":
    case "drift":
      return `${host}: ${changeList(p).join(", ")}`;
    case "host-key-changed":
      return `${host}: the SSH host key changed; scans are refused until an admin re-trusts it`;
    case "scan-failed-repeatedly":
      return `${host}: ${p.failures} scans failed in a row (last: ${p.errorClass})`;
    case "host-ready":
      return `${host} is ready: ${p.bestPath} (verdict ${p.verdict})`;
    case "test":
      return p.message ?? "Test event from DAXboard";
  }
}

// The request body for the endpoint's format: the generic JSON event, or Slack's incoming-webhook `{ text }`.
export function formatBody(format: string, payload: WebhookPayload): string {
  if (format === "slack") return JSON.stringify({ text: `DAXboard ${payload.event}: ${summarize(payload)}` });
  return JSON.stringify(payload);
}
