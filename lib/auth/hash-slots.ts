import { RetryLaterError } from "../api/retry-later";

// Each scrypt hash holds 128 MiB and a libuv thread for about half a second, so a burst of logins must not start
// them without bound. A few run, a few more wait their turn, and the rest are told to come back (issue 12).
export const HASH_SLOTS = { running: 2, waiting: 8 };

type State = { running: number; queue: Array<() => void> };
// On globalThis: Next.js may load this module once per route bundle, and the cap is per process.
const holder = globalThis as unknown as { __daxboardHashSlots?: State };
const state: State = (holder.__daxboardHashSlots ??= { running: 0, queue: [] });

export const busyHashing = () =>
  new RetryLaterError("busy", "The server is busy checking other passwords; try again in a moment.", 503, 1);

async function acquire(): Promise<void> {
  if (state.running < HASH_SLOTS.running) {
    state.running += 1;
    return;
  }
  if (state.queue.length >= HASH_SLOTS.waiting) throw busyHashing();
  // The slot is handed over by release(): running stays the same.
  await new Promise<void>((resolve) => state.queue.push(resolve));
}

function release(): void {
  const next = state.queue.shift();
  if (next) next();
  else state.running -= 1;
}

export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  await acquire();
  try {
    return await work();
  } finally {
    release();
  }
}
