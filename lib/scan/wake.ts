// In-process wake-up: a scan requested in the app process starts at once on the in-process workers instead of
// waiting for the next poll. Workers in other processes find it on their next poll.
const listeners = new Set<() => void>();

export function onWake(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function wakeWorkers(): void {
  for (const listener of listeners) listener();
}
