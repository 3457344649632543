import crypto from "node:crypto";
import pg from "pg";
import { getPool } from "./db";
import { log } from "./log";

// A wake-up: work stored by this process starts at once on this process's workers instead of at their next poll.
// It also reaches the workers of other processes (`npm run worker`, other app instances) on its channel, by
// PostgreSQL's NOTIFY: one LISTEN connection per process serves every channel while anything listens. Polling
// stays the fallback (a pooler in transaction mode, such as PgBouncer's, does not pass LISTEN through), so a lost
// notification only delays work until the next poll.

// Notifications this process sent carry its tag, so its own listeners are not woken twice.
const TAG = crypto.randomBytes(8).toString("hex");
const RECONNECT_MS = [250, 1000, 5000];

// The listening connection sends nothing of its own, so a peer that vanished without a reset (a NAT's idle
// timeout, a failover) would never be noticed: it is pinged every DAXBOARD_WAKE_PING_MS (60 s), and a ping
// unanswered within PING_TIMEOUT_MS (or the ping interval, if shorter) drops it.
const pingMs = () => Number(process.env.DAXBOARD_WAKE_PING_MS) || 60_000;
const PING_TIMEOUT_MS = 10_000;

const channels = new Map<string, Set<() => void>>();
let client: pg.Client | null = null;
// The connection being opened, so that the last listener leaving can close it before it is ready.
let pending: pg.Client | null = null;
let connecting: Promise<void> | null = null;
let retry: NodeJS.Timeout | null = null;
let ping: NodeJS.Timeout | null = null;
let failures = 0;

const quote = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

function deliver(channel: string, payload: string | undefined): void {
  if (payload === TAG) return;
  for (const listener of channels.get(channel) ?? []) listener();
}

function scheduleReconnect(): void {
  if (retry || channels.size === 0) return;
  const delay = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
  failures++;
  retry = setTimeout(() => {
    retry = null;
    connect().catch(() => undefined);
  }, delay);
  retry.unref();
}

function pingListener(current: pg.Client, lost: () => void): void {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("no answer")), Math.min(PING_TIMEOUT_MS, pingMs()));
    timer.unref();
  });
  Promise.race([current.query("select 1"), timeout])
    .catch(() => {
      log.debug("wake-up listener did not answer its ping; reconnecting");
      lost();
    })
    .finally(() => clearTimeout(timer));
}

async function connect(): Promise<void> {
  if (client || connecting || channels.size === 0 || !process.env.DATABASE_URL) return;
  let next: pg.Client;
  try {
    next = new pg.Client({
      connectionString: process.env.DATABASE_URL,
      keepAlive: true,
      connectionTimeoutMillis: PING_TIMEOUT_MS,
    });
  } catch (err) {
    log.debug({ err: String(err) }, "wake-up listener not started");
    return;
  }
  // A dropped connection (database restart, terminated backend, unanswered ping) reconnects and listens again.
  const lost = () => {
    if (client !== next) return;
    client = null;
    if (ping) clearInterval(ping);
    ping = null;
    next.end().catch(() => undefined);
    scheduleReconnect();
  };
  next.on("error", lost);
  next.on("end", lost);
  next.on("notification", (msg) => deliver(msg.channel, msg.payload));
  pending = next;
  connecting = (async () => {
    try {
      await next.connect();
      for (const channel of channels.keys()) await next.query(`listen ${quote(channel)}`);
      if (pending !== next) throw new Error("closed while connecting");
      client = next;
      failures = 0;
      ping = setInterval(() => pingListener(next, lost), pingMs());
      ping.unref();
      // Anything stored while this process was not listening is found by the listeners' own fetch.
      for (const channel of channels.keys()) deliver(channel, undefined);
    } catch (err) {
      log.debug({ err: err instanceof Error ? err.message : String(err) }, "wake-up listener could not connect");
      next.end().catch(() => undefined);
      scheduleReconnect();
    } finally {
      if (pending === next) pending = null;
      connecting = null;
    }
    // The last listener left while connecting.
    if (channels.size === 0) await disconnect();
  })();
  return connecting;
}

async function disconnect(): Promise<void> {
  if (retry) clearTimeout(retry);
  retry = null;
  if (ping) clearInterval(ping);
  ping = null;
  const current = client;
  const opening = pending;
  client = null;
  pending = null;
  await Promise.all([current?.end().catch(() => undefined), opening?.end().catch(() => undefined)]);
}

// A signal's listeners live in `channels`, the set its notifications are delivered to, so a wake in this process
// and one from another reach the same listeners (even through two signals of one channel).
export function wakeSignal(channel: string) {
  return {
    // Returns the function that removes the listener.
    on(listener: () => void): () => void {
      const set = channels.get(channel) ?? new Set();
      const added = !channels.has(channel);
      channels.set(channel, set);
      set.add(listener);
      if (added && client) client.query(`listen ${quote(channel)}`).catch(() => undefined);
      connect().catch(() => undefined);
      return () => {
        const current = channels.get(channel);
        current?.delete(listener);
        if (current && current.size === 0) {
          channels.delete(channel);
          client?.query(`unlisten ${quote(channel)}`).catch(() => undefined);
        }
        if (channels.size === 0) void disconnect();
      };
    },
    wake(): void {
      for (const listener of [...(channels.get(channel) ?? [])]) listener();
      const lost = (err: unknown) => log.debug({ err: String(err) }, "wake-up notification not sent");
      // A wake-up is a hint (the poll finds the work anyway): it never fails the request that stored the work.
      try {
        getPool().query("select pg_notify($1, $2)", [channel, TAG]).catch(lost);
      } catch (err) {
        lost(err);
      }
    },
  };
}
