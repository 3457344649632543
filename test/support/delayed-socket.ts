import type net from "node:net";
import { Duplex } from "node:stream";

// The far end of a link with a round-trip time, for simulated hosts: a stream over an accepted loopback socket that
// holds every chunk for half the RTT in each direction, so each exchange of packets (SSH banner, key exchange, auth,
// channel requests, output) costs one RTT, as on a real link. `tc netem` is not available on these machines.
// It stands where a TCP relay in front of the server used to: the same delays without a second connection per
// scan, whose sockets and loopback traffic cost the shared machine as much as the simulated host itself.
// Node runs timers of equal duration in the order they were set, so a chunk never overtakes an earlier one.
export class DelayedSocket extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly inner: net.Socket,
    private readonly oneWayMs: number,
  ) {
    super({ allowHalfOpen: true });
    this.remoteAddress = inner.remoteAddress;
    this.remotePort = inner.remotePort;
    this.remoteFamily = inner.remoteFamily;
    inner.on("data", (chunk: Buffer) => this.later(() => this.push(chunk)));
    inner.on("end", () => this.later(() => this.push(null)));
    // Whatever was in flight arrives first (half an RTT later), then the stream goes.
    inner.on("close", () => this.later(() => this.destroy()));
    inner.on("error", () => {});
  }

  private later(fn: () => void) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, this.oneWayMs);
    this.timers.add(timer);
  }

  override _read() {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void) {
    this.later(() => {
      if (!this.inner.destroyed) this.inner.write(chunk);
    });
    done();
  }

  override _final(done: (err?: Error | null) => void) {
    this.later(() => {
      if (!this.inner.destroyed) this.inner.end();
    });
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void) {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.inner.destroy();
    done(err);
  }
}
