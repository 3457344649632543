import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { wakeSignal } from "@/lib/wake-signal";

// A wake-up is a hint: the process's own listeners run at once, other processes hear of it through PostgreSQL
// when there is one, and a missing database never turns the wake-up into an error for the code that stored work.
let saved: string | undefined;
beforeEach(() => {
  saved = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
});
afterEach(() => {
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
});

describe("wake signals", () => {
  it("run this process's listeners, until they unsubscribe", () => {
    const signal = wakeSignal("daxboard_test_local");
    const heard: string[] = [];
    const off = signal.on(() => heard.push("a"));
    signal.on(() => heard.push("b"));
    signal.wake();
    off();
    signal.wake();
    expect(heard).toEqual(["a", "b", "b"]);
  });

  it("with a channel and no database, still wake this process and never throw", () => {
    const signal = wakeSignal("daxboard_test_channel");
    let heard = 0;
    const off = signal.on(() => heard++);
    expect(() => signal.wake()).not.toThrow();
    expect(heard).toBe(1);
    off();
  });

  it("of one channel reach each other's listeners in this process, as their notifications would across processes", () => {
    const first = wakeSignal("daxboard_test_shared");
    const second = wakeSignal("daxboard_test_shared");
    const heard: string[] = [];
    const offFirst = first.on(() => heard.push("first"));
    const offSecond = second.on(() => heard.push("second"));
    second.wake();
    offSecond();
    second.wake();
    offFirst();
    first.wake();
    expect(heard).toEqual(["first", "second", "first"]);
  });
});
