import { afterEach, describe, expect, it } from "vitest";
import { probeCommand, runProbe, type ProbeResult, type SshTarget } from "../../lib/ssh";
import {
  minimalProbeDocument,
  settleTcpSockets,
  startSimFleet,
  type SimFleet,
  type SimHost,
} from "../support/sim-fleet";

let fleet: SimFleet | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
  expect(await settleTcpSockets(0)).toBe(0);
});

function targetOf(host: SimHost): SshTarget {
  return {
    host: host.host,
    port: host.port,
    username: host.username,
    auth: host.password
      ? { type: "password", password: host.password }
      : { type: "key", privateKey: host.clientKey!.privateKey },
    hostKey: { fingerprint: host.hostKeyFingerprint },
  };
}

// A fixed number of scans in flight, as the worker pool runs them.
async function scanAll(hosts: SimHost[], concurrency: number, token: (i: number) => string): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(hosts.length);
  let next = 0;
  const lane = async () => {
    while (next < hosts.length) {
      const i = next++;
      results[i] = await runProbe(targetOf(hosts[i]!), {
        command: probeCommand(token(i)),
        connectTimeoutMs: 5_000,
        execTimeoutMs: 5_000,
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return results;
}

describe("simulated fleet", () => {
  it("adds the round-trip time to every exchange, on each address of a host, and closes what it opened", async () => {
    const rttMs = 150;
    fleet = await startSimFleet(1, () => ({ rttMs }));
    const host = fleet.hosts[0]!;
    const second = await host.addAddress();
    expect(second).not.toBe(host.port);
    for (const port of [host.port, second]) {
      const started = performance.now();
      const [result] = await scanAll([{ ...host, port }], 1, () => `Rtt${port}`);
      const tookMs = performance.now() - started;
      expect(result!.stdout).toBe(minimalProbeDocument(`Rtt${port}`));
      expect(result!.hostKey.fingerprint).toBe(host.hostKeyFingerprint);
      // The TCP handshake, banners, key exchange, new keys and service request, authentication, channel open, exec
      // and output: at least six round trips. A lower bound only, so a slow machine cannot fail it.
      expect(tookMs).toBeGreaterThanOrEqual(6 * rttMs);
    }
    expect(host.stats).toMatchObject({ connections: 2, execs: 2 });
    await host.waitIdle(5_000);
  });

  it("answers each host with its own document built from the token the client sent", async () => {
    fleet = await startSimFleet(6, (i) => ({
      auth: i % 2 === 0 ? "key" : "password",
      respond: (token) =>
        `daxboard-probe 1 boundary=${token}\n--${token} arch rc=0\naarch64\n--${token} host rc=0\nsim-${i}\n--${token}--\n`,
    }));
    const results = await scanAll(fleet.hosts, 3, (i) => `Fleet${i}`);
    results.forEach((result, i) => {
      expect(result.stdout).toContain(`boundary=Fleet${i}\n`);
      expect(result.stdout).toContain(`sim-${i}\n`);
      expect(result.hostKey.fingerprint).toBe(fleet!.hosts[i]!.hostKeyFingerprint);
    });
    expect(new Set(fleet.hosts.map((host) => host.hostKeyFingerprint)).size).toBe(6);
    expect(fleet.hosts.filter((host) => host.password).length).toBe(3);
  });

  it("scans 200 hosts, each with its own host key, at concurrency 50 and leaves no connection open", async () => {
    const started = Date.now();
    fleet = await startSimFleet(200);
    const startupMs = Date.now() - started;
    const scanStarted = Date.now();
    const results = await scanAll(fleet.hosts, 50, (i) => `Bulk${i}`);
    const scanMs = Date.now() - scanStarted;
    console.info(
      `fleet: 200 hosts up in ${startupMs} ms, scanned in ${scanMs} ms (${Math.round(200 / (scanMs / 1000))} hosts/s)`,
    );
    expect(results.every((result, i) => result.stdout.includes(`boundary=Bulk${i}\n`))).toBe(true);
    expect(new Set(fleet.hosts.map((host) => host.hostKeyFingerprint)).size).toBe(200);
    expect(fleet.hosts.every((host) => host.stats.execs === 1 && host.stats.connections === 1)).toBe(true);
    await fleet.waitIdle(2_000);
    expect(await settleTcpSockets(0)).toBe(0);
  });

  it("can share a small host key pool when asked", async () => {
    fleet = await startSimFleet(10, () => ({}), { hostKeyPoolSize: 2 });
    expect(new Set(fleet.hosts.map((host) => host.hostKeyFingerprint)).size).toBe(2);
    const results = await scanAll(fleet.hosts, 5, (i) => `Pool${i}`);
    expect(results).toHaveLength(10);
  });
});
