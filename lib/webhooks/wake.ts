// Events stored by this process are sent at once by this process's delivery workers instead of at their next
// sweep; workers in other processes find them at theirs.
const wakers = new Set<() => void>();

export function onWebhookWake(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

export function wakeWebhookWorkers(): void {
  for (const wake of wakers) wake();
}
