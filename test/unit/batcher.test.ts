import { describe, expect, it } from "vitest";
import { createBatcher } from "../../lib/scan/batcher";

// A run() that records each batch it was given and answers when the test releases it.
function controlledRun() {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const run = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      releases.push(() => (items.includes(-1) ? reject(new Error("refused")) : resolve(items.map((i) => `done ${i}`))));
    });
  const releaseNext = async () => {
    releases.shift()!();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { batches, run, releaseNext };
}

describe("createBatcher (group commit)", () => {
  it("sends a lone item at once, without waiting for company", async () => {
    const { batches, run, releaseNext } = controlledRun();
    const submit = createBatcher(run, 10);
    const result = submit(1);
    expect(batches).toEqual([[1]]);
    await releaseNext();
    await expect(result).resolves.toBe("done 1");
  });

  it("groups items that arrive while a batch is in flight, and answers each with its own result", async () => {
    const { batches, run, releaseNext } = controlledRun();
    const submit = createBatcher(run, 10);
    const results = [1, 2, 3, 4].map((i) => submit(i));
    expect(batches).toEqual([[1]]);
    await releaseNext();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await releaseNext();
    await expect(Promise.all(results)).resolves.toEqual(["done 1", "done 2", "done 3", "done 4"]);
  });

  it("never sends more than maxBatch items at once", async () => {
    const { batches, run, releaseNext } = controlledRun();
    const submit = createBatcher(run, 2);
    const results = [1, 2, 3, 4, 5, 6].map((i) => submit(i));
    for (let i = 0; i < 4; i++) await releaseNext();
    await expect(Promise.all(results)).resolves.toHaveLength(6);
    expect(batches).toEqual([[1], [2, 3], [4, 5], [6]]);
  });

  it("fails only the batch whose run failed, and keeps going", async () => {
    const { batches, run, releaseNext } = controlledRun();
    const submit = createBatcher(run, 10);
    const first = submit(1);
    // The assertions are attached before the batch is released, so no rejection goes unhandled.
    const doomed = [submit(-1), submit(2), submit(3)].map((p) => expect(p).rejects.toThrow("refused"));
    await releaseNext();
    expect(batches[1]).toEqual([-1, 2, 3]);
    await releaseNext();
    await expect(first).resolves.toBe("done 1");
    await Promise.all(doomed);
    const after = submit(4);
    expect(batches[2]).toEqual([4]);
    await releaseNext();
    await expect(after).resolves.toBe("done 4");
  });
});
