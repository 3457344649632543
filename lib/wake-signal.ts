// An in-process wake-up: work stored by this process starts at once on this process's workers instead of at their
// next poll. Workers in other processes find it on their next poll.
export function wakeSignal() {
  const listeners = new Set<() => void>();
  return {
    // Returns the function that removes the listener.
    on(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake(): void {
      for (const listener of listeners) listener();
    },
  };
}
