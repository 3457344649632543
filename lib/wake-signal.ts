import crypto from "node:crypto";
import pg from "pg";
import { getPool } from "./db";
import { log } from "./log";

// A wake-up: work stored by this process starts at once on this process's workers instead of at their next poll.
// With a channel it also reaches the workers of other processes (`npm run worker`, other app instances) through
// PostgreSQL's NOTIFY: one LISTEN connection per process serves every channel while anything listens. Polling
// stays the fallback (a pooler in transaction mode, such as PgBouncer's, does not pass LISTEN through), so a lost
// notification only delays work until the next poll.

// Notifications this process sent carry its tag, so its own listeners are not woken twice.
const TAG = crypto.randomBytes(8).toString("hex");
const RECONNECT_MS = [250, 1000, 5000];

const channels = new Map<string, Set<() => void>>();
let client: pg.Client | null = null;
let connecting: Promise<void> | null = null;
let retry: NodeJS.Timeout | null = null;
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
    void connect();
  }, delay);
  retry.unref();
}

async function connect(): Promise<void> {
  if (client || connecting || channels.size === 0 || !process.env.DATABASE_URL) return;
  const next = new pg.Client({ connectionString: process.env.DATABASE_URL });
  // A dropped connection (database restart, terminated backend) reconnects and listens again.
  const lost = () => {
    if (client !== next) return;
    client = null;
    next.end().catch(() => undefined);
    scheduleReconnect();
  };
  next.on("error", lost);
  next.on("end", lost);
  next.on("notification", (msg) => deliver(msg.channel, msg.payload));
  connecting = (async () => {
    try {
      await next.connect();
      for (const channel of channels.keys()) await next.query(`listen ${quote(channel)}`);
      client = next;
      failures = 0;
      // Anything stored while this process was not listening is found by the listeners' own fetch.
      for (const channel of channels.keys()) deliver(channel, undefined);
    } catch (err) {
      log.debug({ err: err instanceof Error ? err.message : String(err) }, "wake-up listener could not connect");
      next.end().catch(() => undefined);
      scheduleReconnect();
    } finally {
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
  const current = client;
  client = null;
  await current?.end().catch(() => undefined);
}

export function wakeSignal(channel?: string) {
  const local = new Set<() => void>();
  return {
    // Returns the function that removes the listener.
    on(listener: () => void): () => void {
      local.add(listener);
      if (channel) {
        const set = channels.get(channel) ?? new Set();
        const added = !channels.has(channel);
        channels.set(channel, set);
        set.add(listener);
        if (added && client) client.query(`listen ${quote(channel)}`).catch(() => undefined);
        void connect();
      }
      return () => {
        local.delete(listener);
        if (!channel) return;
        const set = channels.get(channel);
        set?.delete(listener);
        if (set && set.size === 0) {
          channels.delete(channel);
          client?.query(`unlisten ${quote(channel)}`).catch(() => undefined);
        }
        if (channels.size === 0) void disconnect();
      };
    },
    wake(): void {
      for (const listener of local) listener();
      if (!channel) return;
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
