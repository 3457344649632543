// The fleet-scale bench's simulated hosts, in child processes. Each shard runs its share of the ssh2 servers and of
// the hosts' addresses (listening ports, each with the round-trip time) in front of them, so the simulated side gets
// its own event loops, as real hosts would, instead of sharing one with the scanner it measures. The parent
// (scan10k.ts) starts the shards with startSimShards; each shard is this file run as a child with its share in
// DAXBOARD_SIM_SHARD (JSON) and answers its hosts' addresses over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import { exited, waitForExit } from "../../lib/child-exit";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { startSimFleet } from "../support/sim-fleet";
import type { BenchHost } from "./scan10k-support";

type ShardSpec = {
  // This shard's index among `shards`: it runs hosts shard, shard + shards, shard + 2 × shards… (interleaved, so
  // hosts scanned in order keep every shard busy), and `hosts` and `servers` are its counts.
  shard: number;
  shards: number;
  hosts: number;
  servers: number;
  rttMs: number;
  probeMs: number;
  authorizedKey: string;
  hostKeyPoolSize: number;
};

type ShardMessage = { ready: BenchHost[] } | { error: string };

export type SimShards = { hosts: BenchHost[]; pids: number[]; close(): Promise<void> };

async function runShard(spec: ShardSpec): Promise<void> {
  const profiles = DEMO_FLEET.filter((p) => !p.behaviour);
  // The same profile for a host whichever way the fleet is split: by the global index of its first address.
  const globalIndex = (local: number) => spec.shard + local * spec.shards;
  const fleet = await startSimFleet(
    spec.servers,
    (i) => ({
      authorizedKeys: [spec.authorizedKey],
      respond: (token) => simulatedDocument(profiles[globalIndex(i) % profiles.length]!, token),
      probeDelayMs: spec.probeMs,
      rttMs: spec.rttMs,
    }),
    { hostKeyPoolSize: spec.hostKeyPoolSize },
  );
  // Host i is an address of server i % servers: its first address, then one more per pass over the servers.
  const ports = await Promise.all(
    Array.from({ length: spec.hosts }, (_, i) => {
      const server = fleet.hosts[i % spec.servers]!;
      return i < spec.servers ? server.port : server.addAddress();
    }),
  );
  const { host, username } = fleet.hosts[0]!;
  process.send!({ ready: ports.map((port) => ({ host, port, username })) } satisfies ShardMessage);
  // The parent closing the channel (or dying) ends the shard.
  process.on("disconnect", () => process.exit(0));
}

function startShard(spec: ShardSpec): Promise<{ child: ChildProcess; hosts: BenchHost[] }> {
  const child = fork(new URL(import.meta.url).pathname, [], {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DAXBOARD_SIM_SHARD: JSON.stringify(spec) },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`simulated-host shard exited with ${code} before it was ready`)));
    child.once("message", (msg: ShardMessage) => {
      if ("error" in msg) reject(new Error(`simulated-host shard failed: ${msg.error}`));
      else resolve({ child, hosts: msg.ready });
    });
  });
}

// Splits `hosts` addresses and `servers` ssh2 servers over `shards` child processes; the hosts come back in order.
export async function startSimShards(options: {
  hosts: number;
  servers: number;
  shards: number;
  rttMs: number;
  probeMs: number;
  authorizedKey: string;
}): Promise<SimShards> {
  const shards = Math.max(1, Math.min(options.shards, options.servers));
  const specs: ShardSpec[] = [];
  for (let k = 0; k < shards; k++) {
    const hosts = Math.floor(options.hosts / shards) + (k < options.hosts % shards ? 1 : 0);
    const servers = Math.floor(options.servers / shards) + (k < options.servers % shards ? 1 : 0);
    specs.push({ ...options, shard: k, shards, hosts, servers: Math.min(servers, hosts), hostKeyPoolSize: 50 });
  }
  const started = await Promise.allSettled(specs.map(startShard));
  const children = started.flatMap((s) => (s.status === "fulfilled" ? [s.value.child] : []));
  const close = async () => {
    const running = children.filter((child) => !exited(child));
    for (const child of running) child.kill("SIGTERM");
    await Promise.all(running.map((child) => waitForExit(child, 10_000)));
  };
  const failed = started.find((s) => s.status === "rejected");
  if (failed) {
    await close();
    throw failed.reason;
  }
  const perShard = started.map((s) => (s.status === "fulfilled" ? s.value.hosts : []));
  return {
    hosts: Array.from({ length: options.hosts }, (_, g) => perShard[g % shards]![Math.floor(g / shards)]!),
    pids: children.map((c) => c.pid!),
    close,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href && process.env.DAXBOARD_SIM_SHARD) {
  runShard(JSON.parse(process.env.DAXBOARD_SIM_SHARD) as ShardSpec).catch((err: unknown) => {
    process.send?.({ error: err instanceof Error ? err.message : String(err) } satisfies ShardMessage);
    process.exit(1);
  });
}
