import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wakeSignal } from "@/lib/wake-signal";
import { waitFor } from "../support/worker-process";

// The wake-up listener's connection sends nothing of its own, so a database that vanished without closing it (a
// NAT's idle timeout, a failover) would leave the process deaf to other processes' wake-ups for good. It pings
// its connection, and one that does not answer is replaced (lib/wake-signal.ts). Here a TCP relay in front of
// PostgreSQL stops passing the listener's traffic without closing anything.
const CHANNEL = "daxboard_ping_test";
const realUrl = process.env.DATABASE_URL!;
let relay: net.Server;
const frozen = new Set<net.Socket>();
const connections: { client: net.Socket; server: net.Socket }[] = [];
const admin = new pg.Client({ connectionString: realUrl });

const listeningPids = async () =>
  (
    await admin.query<{ pid: number }>("select pid from pg_stat_activity where query = $1", [`listen "${CHANNEL}"`])
  ).rows.map((r) => r.pid);

beforeAll(async () => {
  await admin.connect();
  const target = new URL(realUrl);
  relay = net.createServer((client) => {
    const server = net.connect(Number(target.port || 5432), target.hostname);
    connections.push({ client, server });
    const pass = (from: net.Socket, to: net.Socket) =>
      from.on("data", (chunk) => {
        if (!frozen.has(from)) to.write(chunk);
      });
    pass(client, server);
    pass(server, client);
    const close = () => {
      client.destroy();
      server.destroy();
    };
    client.on("error", close).on("close", close);
    server.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const relayed = new URL(realUrl);
  relayed.hostname = "127.0.0.1";
  relayed.port = String((relay.address() as net.AddressInfo).port);
  process.env.DATABASE_URL = relayed.toString();
  process.env.DAXBOARD_WAKE_PING_MS = "500";
});

afterAll(async () => {
  process.env.DATABASE_URL = realUrl;
  delete process.env.DAXBOARD_WAKE_PING_MS;
  for (const { client, server } of connections) {
    client.destroy();
    server.destroy();
  }
  relay.close();
  await admin.end();
});

describe("the wake-up listener", () => {
  it("replaces a connection that stopped answering, and hears wake-ups again", async () => {
    let heard = 0;
    const off = wakeSignal(CHANNEL).on(() => heard++);
    try {
      await waitFor(async () => (await listeningPids()).length === 1, 30_000, "the listener to listen");
      const [first] = await listeningPids();
      // Both directions of every connection so far go quiet; nothing is closed.
      for (const { client, server } of connections) frozen.add(client).add(server);
      await waitFor(
        async () => (await listeningPids()).some((pid) => pid !== first),
        30_000,
        "a new listening connection",
      );
      const before = heard;
      await admin.query("select pg_notify($1, 'from-another-process')", [CHANNEL]);
      await waitFor(() => heard > before, 30_000, "the wake-up");
      expect(heard).toBeGreaterThan(before);
    } finally {
      off();
    }
  }, 120_000);
});
