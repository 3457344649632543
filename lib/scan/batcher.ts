// Group commit for the scan hot path: calls that arrive while a batch is being written wait and go out
// together in the next one. An idle worker pays no delay (a lone call is flushed at once); a busy one sends
// one statement, and one commit, for many scans. `run` answers each item, in order.
export type Batcher<I, O> = (item: I) => Promise<O>;

type Pending<I, O> = { item: I; resolve: (value: O) => void; reject: (err: unknown) => void };

export function createBatcher<I, O>(run: (items: I[]) => Promise<O[]>, maxBatch: number): Batcher<I, O> {
  const queue: Pending<I, O>[] = [];
  let busy = false;

  const flush = async () => {
    busy = true;
    while (queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      try {
        const results = await run(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(results[i] as O));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    busy = false;
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!busy) void flush();
    });
}
