// Delivery tuning, read at each use so tests can shorten the delays.
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

export const webhookConfig = {
  timeoutMs: () => num("DAXBOARD_WEBHOOK_TIMEOUT_MS", 5000),
  maxAttempts: () => num("DAXBOARD_WEBHOOK_MAX_ATTEMPTS", 6),
  // The first retry waits this long, each next one twice as long (10 s, 20 s … 160 s by default), capped at 1 h.
  retryBaseMs: () => num("DAXBOARD_WEBHOOK_RETRY_BASE_MS", 10_000),
  // How often each worker looks for deliveries that are due but have no queued job (after a restart).
  sweepMs: () => num("DAXBOARD_WEBHOOK_SWEEP_MS", 5000),
  // Finished deliveries older than this are removed from the log.
  keepDays: () => num("DAXBOARD_WEBHOOK_KEEP_DAYS", 30),
  pollSeconds: () => Math.max(0.5, num("DAXBOARD_WEBHOOK_POLL_SECONDS", 2)),
};

export function retryDelayMs(attempts: number): number {
  return Math.min(webhookConfig.retryBaseMs() * 2 ** Math.max(0, attempts - 1), 3_600_000);
}
