import net from "node:net";

// A TCP relay that makes loopback behave like a network with a round-trip time: every chunk is held for half the
// RTT in each direction, so each exchange of packets (SSH banner, key exchange, auth, channel requests, output)
// costs one RTT, as on a real link. `tc netem` is not available on these machines; this stands in for it.
// Opening the upstream connection also waits one RTT, for the TCP handshake a real connection pays.

export type LatencyRelay = {
  host: string;
  port: number;
  close(): Promise<void>;
};

type Target = { host: string; port: number };

// Node runs timers of equal duration in the order they were set, so a chunk never overtakes an earlier one.
function delayedPipe(from: net.Socket, to: net.Socket, delayMs: number, pending: Set<NodeJS.Timeout>) {
  const later = (fn: () => void) => {
    const timer = setTimeout(() => {
      pending.delete(timer);
      fn();
    }, delayMs);
    pending.add(timer);
  };
  from.on("data", (chunk: Buffer) => later(() => to.writable && to.write(chunk)));
  from.on("end", () => later(() => to.writable && to.end()));
}

function relayConnection(client: net.Socket, target: Target, rttMs: number, sockets: Set<net.Socket>) {
  const pending = new Set<NodeJS.Timeout>();
  const upstream = new net.Socket();
  sockets.add(client).add(upstream);
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  const teardown = () => {
    for (const timer of pending) clearTimeout(timer);
    pending.clear();
    client.destroy();
    upstream.destroy();
    sockets.delete(client);
    sockets.delete(upstream);
  };
  // Either side closing ends the pair once what is in flight has arrived (half an RTT later).
  const closeLater = () => {
    const timer = setTimeout(teardown, rttMs / 2 + 1);
    pending.add(timer);
  };
  client.on("error", teardown);
  upstream.on("error", teardown);
  client.on("close", closeLater);
  upstream.on("close", closeLater);
  // Bytes the client sends before the upstream is open wait in the client socket's buffer, paused.
  client.pause();
  const handshake = setTimeout(() => {
    pending.delete(handshake);
    upstream.connect(target.port, target.host, () => {
      delayedPipe(client, upstream, rttMs / 2, pending);
      delayedPipe(upstream, client, rttMs / 2, pending);
      client.resume();
    });
  }, rttMs);
  pending.add(handshake);
}

export async function startLatencyRelay(target: Target, rttMs: number): Promise<LatencyRelay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => relayConnection(client, target, rttMs, sockets));
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    host: "127.0.0.1",
    port: (server.address() as net.AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
