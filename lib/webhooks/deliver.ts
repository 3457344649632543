import { getPool } from "../db";
import { log } from "../log";
import { retryDelayMs, webhookConfig } from "./config";
import type { WebhookPayload } from "./events";
import { formatBody } from "./format";
import { SIGNATURE_HEADER, signatureHeader } from "./sign";
import { openWebhookSecret, type SealedSecretColumns } from "./webhook-secret";

type Claimed = SealedSecretColumns & {
  id: string;
  webhookId: string;
  event: string;
  payload: WebhookPayload;
  attempts: number;
  url: string;
  format: string;
  enabled: boolean;
};

type Attempt = { statusCode: number | null; latencyMs: number; error: string | null };

export type DeliveryResult = "delivered" | "retrying" | "failed" | "dropped" | "skipped";

// Takes the delivery if it is due and leases it past the request's timeout, so a duplicate job (a sweep after a
// restart) or another worker cannot send it twice; a worker that dies mid-request leaves it due again when the
// lease ends.
async function claim(id: string): Promise<Claimed | null> {
  const lease = `${webhookConfig.timeoutMs() + 30_000} milliseconds`;
  const { rows } = await getPool().query<Claimed>(
    `update "WebhookDelivery" d set attempts = d.attempts + 1, "nextAttemptAt" = now() + $2::interval
    from "Webhook" w
    where d.id = $1 and w.id = d."webhookId" and d.status in ('pending', 'retrying')
      and (d."nextAttemptAt" is null or d."nextAttemptAt" <= now())
    returning d.id, d."webhookId", d.event, d.payload, d.attempts, w.url, w.format, w.enabled,
      w."secretCiphertext", w."secretIv", w."secretAuthTag"`,
    [id, lease],
  );
  return rows[0] ?? null;
}

// A secret sealed with another DAXBOARD_SECRET_KEY no longer opens: asking again cannot help.
function openSecret(row: Claimed): string | null | Error {
  try {
    return openWebhookSecret(row);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

async function post(row: Claimed, secret: string | null): Promise<Attempt> {
  const body = formatBody(row.format, row.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "DAXboard-Webhooks",
    "x-daxboard-event": row.event,
    "x-daxboard-delivery": row.id,
  };
  if (secret) headers[SIGNATURE_HEADER] = signatureHeader(secret, body);
  const started = Date.now();
  try {
    // No redirects: a 3xx is reported, never followed to a host the admin did not enter.
    const res = await fetch(row.url, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(webhookConfig.timeoutMs()),
    });
    await res.body?.cancel().catch(() => undefined);
    const error = res.ok ? null : `HTTP ${res.status}`;
    return { statusCode: res.status, latencyMs: Date.now() - started, error };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : "";
    const error = timedOut
      ? `no answer within ${webhookConfig.timeoutMs()} ms`
      : `${err instanceof Error ? err.message : String(err)}${cause}`;
    return { statusCode: null, latencyMs: Date.now() - started, error: error.slice(0, 500) };
  }
}

// 5xx, 408, 429, timeouts and network errors may pass; any other answer will not change by asking again.
const retryable = (a: Attempt) => a.statusCode === null || a.statusCode >= 500 || [408, 429].includes(a.statusCode);

async function store(id: string, status: string, a: Attempt, nextAttemptAt: Date | null): Promise<void> {
  await getPool().query(
    `update "WebhookDelivery" set status = $2, "lastStatusCode" = $3, "lastLatencyMs" = $4, "lastError" = $5,
      "nextAttemptAt" = $6, "deliveredAt" = case when $2 = 'delivered' then now() else null end
    where id = $1`,
    [id, status, a.statusCode, a.latencyMs, a.error, nextAttemptAt],
  );
}

// 410 Gone: the receiver says the endpoint is gone for good (Slack answers it for a removed webhook).
async function disableEndpoint(webhookId: string, url: string): Promise<void> {
  const reason = `The endpoint answered 410 Gone on ${new Date().toISOString()}; edit and re-enable it to send again.`;
  await getPool().query(`update "Webhook" set enabled = false, "disabledReason" = $2 where id = $1`, [
    webhookId,
    reason,
  ]);
  log.warn({ webhookId, url }, "webhook endpoint answered 410 Gone: disabled");
}

// One attempt at one delivery. `retryAt` is when a retry is due (the caller queues its job then).
export async function attemptDelivery(id: string): Promise<{ result: DeliveryResult; retryAt?: Date }> {
  const row = await claim(id);
  if (!row) return { result: "skipped" };
  if (!row.enabled && row.event !== "test") {
    await store(id, "dropped", { statusCode: null, latencyMs: 0, error: "endpoint disabled" }, null);
    return { result: "dropped" };
  }
  const secret = openSecret(row);
  if (secret instanceof Error) {
    const error = `The signing secret could not be opened (${secret.message}); re-enter it.`;
    await store(id, "failed", { statusCode: null, latencyMs: 0, error }, null);
    return { result: "failed" };
  }
  const attempt = await post(row, secret);
  if (attempt.error === null) {
    await store(id, "delivered", attempt, null);
    return { result: "delivered" };
  }
  if (attempt.statusCode === 410) await disableEndpoint(row.webhookId, row.url);
  if (retryable(attempt) && row.attempts < webhookConfig.maxAttempts()) {
    const retryAt = new Date(Date.now() + retryDelayMs(row.attempts));
    await store(id, "retrying", attempt, retryAt);
    return { result: "retrying", retryAt };
  }
  await store(id, "failed", attempt, null);
  return { result: "failed" };
}
