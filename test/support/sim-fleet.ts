import net from "node:net";
import { randomBytes, timingSafeEqual } from "node:crypto";
import ssh2, { type AuthContext, type Connection, type ParsedKey, type ServerChannel } from "ssh2";
import { parsePrivateKey, withKeyObjects } from "../../lib/ssh/fast-key";
import { DelayedSocket } from "./delayed-socket";
import { generateKeyPair, publicKeyFingerprint, type KeyPair } from "./sim-keys";

export { generateKeyPair, publicKeyFingerprint, type KeyPair };

// Default import: Node's ESM loader does not see ssh2's (CommonJS) Server and utils exports.
const { Server, utils } = ssh2;

// Simulated arm64 hosts: real ssh2 servers on 127.0.0.1, each with its own host key, answering the probe's
// `sh -s -- <token>` exec with whatever document `respond(token)` builds (issue 5, part 5).

export const HOSTILE_BEHAVIOURS = [
  "no-banner", // accepts TCP, never speaks SSH
  "stall-after-auth", // authenticates, then never answers the session request
  "drip", // sends the document one byte per second
  "flood", // prints 100 MB
  "garbage", // prints bytes that are not a probe document, exits 0
  "exit-1", // prints to stderr and exits 1
  "rotate-host-key", // a different host key from the second connection on
  "reject-password", // rejects every authentication attempt
  "legacy-kex", // offers only diffie-hellman-group1-sha1, which the client refuses
] as const;

export type SimBehaviour = "normal" | (typeof HOSTILE_BEHAVIOURS)[number];

export type SimHostOptions = {
  behaviour?: SimBehaviour;
  respond?: (token: string) => string;
  auth?: "key" | "password";
  username?: string;
  // OpenSSH public key lines allowed to log in; default: one generated client key, returned as clientKey.
  authorizedKeys?: string[];
  password?: string;
  hostKey?: KeyPair;
  floodBytes?: number;
  dripIntervalMs?: number;
  // Serve direct-tcpip channels, so the host can act as a jump host.
  allowForwarding?: boolean;
  // A fixed port (the demo keeps addresses stable across runs); 0 or unset picks a free one.
  listenPort?: number;
  // How long the probe runs on the host before its document comes back (benchmarks; default 0).
  probeDelayMs?: number;
  // A network round-trip time between this host and its clients (benchmarks; default 0): see DelayedSocket.
  rttMs?: number;
};

// What a client offered in each authentication request: lets a test prove which secret reached which host.
export type AuthAttempt = { method: string; username: string; password?: string; publicKey?: string };

export type SimHostStats = {
  connections: number;
  open: number;
  authenticated: number;
  execs: number;
  lastCommand?: string;
  lastStdin?: string;
  authAttempts: AuthAttempt[];
  // Where each direct-tcpip request asked to go, as "address:port" (jump-host tests).
  forwards: string[];
};

export type SimHost = {
  host: string;
  port: number;
  username: string;
  behaviour: SimBehaviour;
  hostKeyFingerprint: string;
  // Only for rotate-host-key: the key presented from the second connection on.
  rotatedHostKeyFingerprint?: string;
  clientKey?: KeyPair;
  password?: string;
  stats: SimHostStats;
  // Listens on one more port, served by the same ssh2 server (many hosts' addresses on few servers, for benches).
  addAddress(): Promise<number>;
  waitIdle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

// The smallest document in format v1 (DOMAIN.md §2); tests that need realistic facts pass their own respond.
export function minimalProbeDocument(token: string): string {
  return `daxboard-probe 1 boundary=${token}\n--${token} arch rc=0\naarch64\n--${token} pagesize rc=0\n65536\n--${token}--\n`;
}

// TCP sockets alive in this process (both ends of a loopback scan): the client-side half of the leak check.
export function openTcpSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
}

// Handles close a tick or two after destroy(); waits until at most `max` remain and returns the final count.
export async function settleTcpSockets(max = 0, timeoutMs = 2_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (openTcpSockets() > max && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  return openTcpSockets();
}

const PROBE_EXEC = /^sh -s -- (\S+)$/;

function parsePublicKey(line: string): ParsedKey {
  const parsed = utils.parseKey(line);
  if (parsed instanceof Error) throw parsed;
  // Signatures are checked with a KeyObject decoded once (see lib/ssh/fast-key.ts): a simulated host stands in
  // for a remote machine, and its CPU should not crowd out the scanner it shares this machine with.
  return withKeyObjects(Array.isArray(parsed) ? parsed[0] : parsed);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startSimHost(options: SimHostOptions = {}): Promise<SimHost> {
  const behaviour = options.behaviour ?? "normal";
  const respond = options.respond ?? minimalProbeDocument;
  const username = options.username ?? "probe";
  const usePassword = options.auth === "password" || behaviour === "reject-password";
  const password = usePassword ? (options.password ?? randomBytes(12).toString("base64url")) : undefined;
  const clientKey = !usePassword && !options.authorizedKeys ? generateKeyPair() : undefined;
  const authorized = usePassword ? [] : (options.authorizedKeys ?? [clientKey!.publicKey]).map(parsePublicKey);
  const hostKey = options.hostKey ?? generateKeyPair();
  const rotatedKey = behaviour === "rotate-host-key" ? generateKeyPair() : undefined;
  const stats: SimHostStats = { connections: 0, open: 0, authenticated: 0, execs: 0, authAttempts: [], forwards: [] };
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const authenticate = (ctx: AuthContext) => {
    stats.authAttempts.push({
      method: ctx.method,
      username: ctx.username,
      ...(ctx.method === "password" ? { password: ctx.password } : {}),
      ...(ctx.method === "publickey" ? { publicKey: ctx.key.data.toString("base64") } : {}),
    });
    const methods: AuthContext["method"][] = usePassword ? ["password"] : ["publickey"];
    if (behaviour === "reject-password" || ctx.username !== username) return ctx.reject(methods);
    if (ctx.method === "password" && password !== undefined && sameSecret(ctx.password, password)) return ctx.accept();
    if (ctx.method === "publickey") {
      const key = authorized.find((candidate) => candidate.getPublicSSH().equals(ctx.key.data));
      // Without a signature the client only asks whether the key would be accepted.
      if (key && (!ctx.signature || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true)) return ctx.accept();
    }
    return ctx.reject(methods);
  };

  const answerExec = (channel: ServerChannel, command: string) => {
    stats.execs++;
    stats.lastCommand = command;
    channel.on("error", () => {});
    const match = PROBE_EXEC.exec(command);
    if (!match) {
      channel.stderr.write(`sim: refusing unexpected command\n`);
      channel.exit(127);
      channel.end();
      return;
    }
    const token = match[1]!;
    let closed = false;
    channel.on("close", () => {
      closed = true;
    });
    const finish = (code: number) => {
      if (closed) return;
      channel.exit(code);
      channel.end();
    };
    const stdin: Buffer[] = [];
    channel.on("data", (chunk: Buffer) => stdin.push(chunk));

    if (behaviour === "flood") {
      const chunk = Buffer.alloc(64 * 1024, "x\n");
      let left = options.floodBytes ?? 100 * 1024 * 1024;
      const pump = () => {
        while (!closed && left > 0) {
          left -= chunk.length;
          if (!channel.write(chunk)) return void channel.once("drain", pump);
        }
        finish(0);
      };
      pump();
      return;
    }
    if (behaviour === "drip") {
      const document = Buffer.from(respond(token));
      let sent = 0;
      const timer = setInterval(() => {
        if (closed || sent >= document.length) {
          clearInterval(timer);
          timers.delete(timer);
          finish(0);
          return;
        }
        channel.write(document.subarray(sent, ++sent));
      }, options.dripIntervalMs ?? 1_000);
      timers.add(timer);
      channel.on("close", () => {
        clearInterval(timer);
        timers.delete(timer);
      });
      return;
    }
    // Like `sh -s`, the normal path reads the whole script before running it.
    channel.on("end", () => {
      stats.lastStdin = Buffer.concat(stdin).toString("utf8");
      if (behaviour === "garbage") {
        channel.write(
          Buffer.concat([Buffer.from("Welcome to the machine!\n\x1b[31mLast login: never\n"), randomBytes(512)]),
        );
        return finish(0);
      }
      if (behaviour === "exit-1") {
        channel.stderr.write("sh: 1: /proc/cpuinfo: Permission denied\nprobe: cannot continue\n");
        return finish(1);
      }
      let document: string;
      try {
        document = respond(token);
      } catch (err) {
        channel.stderr.write(`sim: respond failed: ${err instanceof Error ? err.message : String(err)}\n`);
        return finish(1);
      }
      if (!options.probeDelayMs) {
        channel.write(document);
        return finish(0);
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (closed) return;
        channel.write(document);
        finish(0);
      }, options.probeDelayMs);
      timers.add(timer);
    });
  };

  const forward = (accept: () => ServerChannel, reject: () => void, destIP: string, destPort: number) => {
    stats.forwards.push(`${destIP}:${destPort}`);
    const upstream = net.connect(destPort, destIP);
    upstream.setNoDelay(true);
    let channel: ServerChannel | undefined;
    upstream.on("error", () => (channel ? channel.destroy() : reject()));
    upstream.on("connect", () => {
      channel = accept();
      channel.on("error", () => upstream.destroy());
      channel.on("close", () => upstream.destroy());
      channel.pipe(upstream).pipe(channel);
    });
  };

  const onConnection = (client: Connection) => {
    client.on("error", () => {});
    client.on("authentication", authenticate);
    client.on("ready", () => {
      stats.authenticated++;
      client.on("session", (accept) => {
        if (behaviour === "stall-after-auth") return;
        const session = accept();
        session.on("exec", (acceptExec, _reject, info) => answerExec(acceptExec(), info.command));
      });
      if (options.allowForwarding) {
        client.on("tcpip", (accept, reject, info) => forward(accept, reject, info.destIP, info.destPort));
      }
    });
  };

  const makeServer = (key: KeyPair) =>
    new Server(
      {
        hostKeys: [{ key: parsePrivateKey(key.privateKey) }],
        ...(behaviour === "legacy-kex" ? { algorithms: { kex: ["diffie-hellman-group1-sha1"] } } : {}),
      },
      onConnection,
    ).on("error", () => {});
  const primary = behaviour === "no-banner" ? undefined : makeServer(hostKey);
  const rotated = rotatedKey ? makeServer(rotatedKey) : undefined;

  // Plain TCP fronts: they count sockets (the leak check), add the round-trip time, and pick which ssh2 server gets
  // each connection.
  const rttMs = options.rttMs ?? 0;
  const serve = (socket: net.Socket) => {
    const server = rotated && stats.connections > 1 ? rotated : primary;
    if (!server) return void socket.resume();
    if (!rttMs) return server.injectSocket(socket);
    // The TCP handshake costs a real connection one RTT before the server's first byte leaves.
    socket.pause();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (socket.destroyed) return;
      server.injectSocket(new DelayedSocket(socket, rttMs / 2) as unknown as net.Socket);
      socket.resume();
    }, rttMs);
    timers.add(timer);
  };
  const fronts: net.Server[] = [];
  const listen = async (listenPort: number) => {
    const front = net.createServer((socket) => {
      stats.connections++;
      sockets.add(socket);
      stats.open = sockets.size;
      // Same effect as ssh2's connection.setNoDelay(true) (missing from @types/ssh2), before any byte is sent.
      socket.setNoDelay(true);
      socket.on("error", () => {});
      socket.on("close", () => {
        sockets.delete(socket);
        stats.open = sockets.size;
      });
      serve(socket);
    });
    front.on("error", () => {});
    await new Promise<void>((resolve, reject) => {
      front.once("error", reject);
      front.listen(listenPort, "127.0.0.1", () => resolve());
    });
    fronts.push(front);
    return (front.address() as net.AddressInfo).port;
  };
  const port = await listen(options.listenPort ?? 0);

  return {
    host: "127.0.0.1",
    port,
    username,
    behaviour,
    hostKeyFingerprint: publicKeyFingerprint(hostKey.publicKey),
    rotatedHostKeyFingerprint: rotatedKey ? publicKeyFingerprint(rotatedKey.publicKey) : undefined,
    clientKey,
    password,
    stats,
    addAddress: () => listen(0),
    async waitIdle(timeoutMs = 2_000) {
      const until = Date.now() + timeoutMs;
      while (sockets.size > 0) {
        if (Date.now() > until)
          throw new Error(`sim host ${port}: ${sockets.size} connection(s) still open after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await Promise.all(fronts.map((front) => new Promise<void>((resolve) => front.close(() => resolve()))));
    },
  };
}

export type SimFleet = {
  hosts: SimHost[];
  clientKey: KeyPair;
  close(): Promise<void>;
  waitIdle(timeoutMs?: number): Promise<void>;
};

export type SimFleetOptions = {
  // Reuse this many host keys across the fleet instead of one per host (a benchmark shortcut; keys are cheap).
  hostKeyPoolSize?: number;
};

// One operator key logs in everywhere by default, as in a real fleet; per-host options may override it.
export async function startSimFleet(
  count: number,
  optionsFor: (index: number) => SimHostOptions = () => ({}),
  fleetOptions: SimFleetOptions = {},
): Promise<SimFleet> {
  const clientKey = generateKeyPair();
  const pool = fleetOptions.hostKeyPoolSize
    ? Array.from({ length: fleetOptions.hostKeyPoolSize }, generateKeyPair)
    : undefined;
  const hosts = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const own = optionsFor(index);
      const host = await startSimHost({
        authorizedKeys: [clientKey.publicKey],
        hostKey: pool?.[index % pool.length],
        ...own,
      });
      if (!own.authorizedKeys && !host.password) host.clientKey = clientKey;
      return host;
    }),
  );
  return {
    hosts,
    clientKey,
    close: async () => void (await Promise.all(hosts.map((host) => host.close()))),
    waitIdle: async (timeoutMs) => void (await Promise.all(hosts.map((host) => host.waitIdle(timeoutMs)))),
  };
}
