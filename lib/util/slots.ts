// A per-process cap on expensive work: a few jobs run, a few more wait their turn, and the rest are refused with
// `busy()` at once instead of queueing without bound. Kept on globalThis under `name`: Next.js may load a module
// once per route bundle, and the cap is per process.
export type SlotLimits = { running: number; waiting: number };

type State = { running: number; queue: Array<() => void> };

export function createSlots(name: string, limits: SlotLimits, busy: () => Error) {
  const holder = globalThis as unknown as Record<string, State | undefined>;
  const key = `__daxboardSlots_${name}`;
  const state: State = (holder[key] ??= { running: 0, queue: [] });

  async function acquire(): Promise<void> {
    if (state.running < limits.running) {
      state.running += 1;
      return;
    }
    if (state.queue.length >= limits.waiting) throw busy();
    // The slot is handed over by release(): running stays the same.
    await new Promise<void>((resolve) => state.queue.push(resolve));
  }

  function release(): void {
    const next = state.queue.shift();
    if (next) next();
    else state.running -= 1;
  }

  return async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    await acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };
}
