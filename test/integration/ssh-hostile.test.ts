import net from "node:net";
import { describe, expect, it } from "vitest";
import {
  ERROR_CLASSES,
  ERROR_CLASS_NAMES,
  ScanError,
  probeCommand,
  runProbe,
  type ErrorClass,
  type SshTarget,
} from "../../lib/ssh";
import { settleTcpSockets, type SimHost } from "../support/sim-fleet";
import { scanFailure, simHostsClosedAfterEach } from "../support/ssh-test-helpers";

// Short deadlines so every hostile host resolves in a couple of seconds.
const LIMITS = { connectTimeoutMs: 1_000, execTimeoutMs: 2_000, scanTimeoutMs: 4_000 };
const COMMAND = probeCommand("Hostile0Token");

// Nothing else in this file opens TCP sockets, so every test starts from zero.
const simHost = simHostsClosedAfterEach();

function targetOf(host: SimHost, fingerprint?: string): SshTarget {
  return {
    host: host.host,
    port: host.port,
    username: host.username,
    auth: host.password
      ? { type: "password", password: host.password }
      : { type: "key", privateKey: host.clientKey!.privateKey },
    hostKey: { fingerprint },
  };
}

type ScanOptions = Partial<typeof LIMITS> & {
  maxOutputBytes?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
};

async function scanError(target: SshTarget, options: ScanOptions = {}) {
  const started = Date.now();
  const error = await scanFailure(runProbe(target, { command: COMMAND, ...LIMITS, ...options }));
  return { error, ms: Date.now() - started };
}

// Both ends of every scan live in this process: once the sim host saw its sockets close, no client socket may
// remain either (the only other TCP handles are the listening servers, which are not sockets).
async function expectNoLeaks(host: SimHost) {
  await host.waitIdle(2_000);
  expect(host.stats.open).toBe(0);
  expect(await settleTcpSockets(0)).toBe(0);
}

function report(variant: string, errorClass: ErrorClass | "ok", ms: number) {
  console.info(`hostile ${variant}: ${errorClass} in ${ms} ms`);
}

describe("hostile simulated hosts", () => {
  it("times out on a host that accepts TCP but never sends a banner", async () => {
    const host = await simHost({ behaviour: "no-banner" });
    const { error, ms } = await scanError(targetOf(host));
    report("no-banner", error.errorClass, ms);
    expect(error.errorClass).toBe("timeout");
    expect(error.details).toMatchObject({ deadline: "connect", phase: "handshake", host: "target" });
    expect(ms).toBeGreaterThanOrEqual(950);
    expect(ms).toBeLessThan(1_800);
    await expectNoLeaks(host);
  });

  it("times out on a host that stalls after authentication", async () => {
    const host = await simHost({ behaviour: "stall-after-auth" });
    const { error, ms } = await scanError(targetOf(host));
    report("stall-after-auth", error.errorClass, ms);
    expect(error.errorClass).toBe("timeout");
    expect(error.details).toMatchObject({ deadline: "exec", phase: "exec" });
    expect(ms).toBeGreaterThanOrEqual(1_950);
    expect(ms).toBeLessThan(3_000);
    expect(host.stats.execs).toBe(0);
    await expectNoLeaks(host);
  });

  it("gives up on a host that stops answering keepalives, long before the exec deadline", async () => {
    const host = await simHost({ behaviour: "stall-after-auth" });
    // A relay that goes silent both ways 300 ms after the host accepted the login, holding the connection
    // open: a link that died without a FIN, which only keepalives notice.
    const sockets = new Set<net.Socket>();
    let frozen = false;
    const relay = net.createServer((client) => {
      const upstream = net.connect(host.port, host.host);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        sockets.add(from);
        from.on("error", () => {});
        from.on("data", (chunk) => frozen || to.write(chunk));
        from.on("close", () => to.destroy());
      }
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    const watch = setInterval(() => {
      if (host.stats.authenticated === 0) return;
      clearInterval(watch);
      setTimeout(() => (frozen = true), 300);
    }, 5);
    try {
      const target = { ...targetOf(host), port: (relay.address() as net.AddressInfo).port };
      const { error, ms } = await scanError(target, {
        execTimeoutMs: 8_000,
        scanTimeoutMs: 9_000,
        keepaliveIntervalMs: 200,
        keepaliveCountMax: 2,
      });
      report("silent link", error.errorClass, ms);
      expect(frozen).toBe(true);
      expect(error.errorClass).toBe("timeout");
      expect(error.details).toMatchObject({ deadline: "keepalive" });
      expect(error.message).toMatch(/stopped answering keepalives/);
      expect(ms).toBeLessThan(5_000);
    } finally {
      clearInterval(watch);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
    }
    await expectNoLeaks(host);
  });

  it("times out on a host that drips one byte per second", async () => {
    const host = await simHost({ behaviour: "drip" });
    const { error, ms } = await scanError(targetOf(host));
    report("drip", error.errorClass, ms);
    expect(error.errorClass).toBe("timeout");
    expect(error.details.deadline).toBe("exec");
    expect(ms).toBeLessThan(3_000);
    await expectNoLeaks(host);
  });

  it("enforces the whole-scan deadline when it is the shortest", async () => {
    const host = await simHost({ behaviour: "drip" });
    const { error, ms } = await scanError(targetOf(host), { scanTimeoutMs: 1_500, execTimeoutMs: 10_000 });
    expect(error.errorClass).toBe("timeout");
    expect(error.details).toMatchObject({ deadline: "scan", phase: "exec" });
    expect(ms).toBeLessThan(2_500);
  });

  it("stops reading a host that prints 100 MB at the 1 MiB cap", async () => {
    const host = await simHost({ behaviour: "flood" });
    const { error, ms } = await scanError(targetOf(host), { maxOutputBytes: 1024 * 1024 });
    report("flood", error.errorClass, ms);
    expect(error.errorClass).toBe("output-too-large");
    expect(error.details.limitBytes).toBe(1024 * 1024);
    expect(ms).toBeLessThan(1_500);
    await expectNoLeaks(host);
  });

  it("applies a custom output cap to an ordinary document", async () => {
    const host = await simHost({});
    const { error } = await scanError(targetOf(host), { maxOutputBytes: 50 });
    expect(error.errorClass).toBe("output-too-large");
    expect(error.details.limitBytes).toBe(50);
  });

  it("hands garbage output to the caller, which classifies it as parse-failed", async () => {
    const host = await simHost({ behaviour: "garbage" });
    const started = Date.now();
    const result = await runProbe(targetOf(host), { command: COMMAND, ...LIMITS });
    report("garbage", "ok", Date.now() - started);
    // The SSH layer does not parse; the document check belongs to lib/probe, which raises parse-failed.
    expect(result.exitCode).toBe(0);
    expect(result.stdout.startsWith("daxboard-probe 1 boundary=")).toBe(false);
    expect(result.outputBytes).toBeGreaterThan(512);
    await expectNoLeaks(host);
  });

  it("reports exit 1 as probe-failed with the exit code and stderr", async () => {
    const host = await simHost({ behaviour: "exit-1" });
    const { error, ms } = await scanError(targetOf(host));
    report("exit-1", error.errorClass, ms);
    expect(error.errorClass).toBe("probe-failed");
    expect(error.details.exitCode).toBe(1);
    expect(error.details.stderrTail).toContain("Permission denied");
    expect(error.message).toContain("status 1");
    await expectNoLeaks(host);
  });

  it("accepts a rotating host the first time and refuses its new key the next", async () => {
    const host = await simHost({ behaviour: "rotate-host-key" });
    const first = await runProbe(targetOf(host), { command: COMMAND, ...LIMITS });
    expect(first.hostKey).toEqual({
      algorithm: "ssh-ed25519",
      fingerprint: host.hostKeyFingerprint,
      trust: "first-use",
    });
    const { error, ms } = await scanError(targetOf(host, first.hostKey.fingerprint));
    report("rotate-host-key", error.errorClass, ms);
    expect(error.errorClass).toBe("host-key-mismatch");
    expect(error.details.expectedFingerprint).toBe(host.hostKeyFingerprint);
    expect(error.details.presentedFingerprint).toBe(host.rotatedHostKeyFingerprint);
    expect(error.message).toContain(host.rotatedHostKeyFingerprint!);
    expect(host.stats.execs).toBe(1);
    await expectNoLeaks(host);
  });

  it("reports a rejected password as auth-failed without echoing it", async () => {
    const host = await simHost({ behaviour: "reject-password" });
    const { error, ms } = await scanError(targetOf(host));
    report("reject-password", error.errorClass, ms);
    expect(error.errorClass).toBe("auth-failed");
    expect(JSON.stringify(error.toJSON())).not.toContain(host.password!);
    await expectNoLeaks(host);
  });

  it("reports kex-failed with the algorithms the server offers", async () => {
    const host = await simHost({ behaviour: "legacy-kex" });
    const { error, ms } = await scanError(targetOf(host));
    report("legacy-kex", error.errorClass, ms);
    expect(error.errorClass).toBe("kex-failed");
    expect(error.details.serverAlgorithms?.kex).toContain("diffie-hellman-group1-sha1");
    expect(error.message).toContain("diffie-hellman-group1-sha1");
    await expectNoLeaks(host);
  });

  it("reports a refused connection as unreachable", async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const started = Date.now();
    const error = await runProbe(
      { host: "127.0.0.1", port, username: "probe", auth: { type: "password", password: "x" }, hostKey: {} },
      { command: COMMAND, ...LIMITS },
    ).catch((err: unknown) => err);
    report("connection-refused", (error as ScanError).errorClass, Date.now() - started);
    expect(error).toBeInstanceOf(ScanError);
    expect((error as ScanError).errorClass).toBe("unreachable");
    expect((error as ScanError).message).toContain("ECONNREFUSED");
    expect((error as ScanError).transient).toBe(true);
  });
});

describe("scan contract", () => {
  it("refuses any command other than sh -s -- <token>, before connecting", async () => {
    const host = await simHost({});
    for (const command of ["uname -a", "sh -s -- a;b", "sh -s -- $(id)", "sh -s --  tok", "sh -s -- tok\n"]) {
      expect(() => runProbe(targetOf(host), { command })).toThrow(TypeError);
    }
    expect(() => probeCommand("bad token")).toThrow(TypeError);
    expect(host.stats.connections).toBe(0);
  });

  it("delivers the script on stdin and returns timings", async () => {
    const host = await simHost({});
    const result = await runProbe(targetOf(host), {
      command: probeCommand("Abc123"),
      stdin: "echo probe\n",
      ...LIMITS,
    });
    expect(host.stats.lastCommand).toBe("sh -s -- Abc123");
    expect(host.stats.lastStdin).toBe("echo probe\n");
    expect(result.stdout).toContain("boundary=Abc123");
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.connectMs);
    expect(result.timings.connectMs).toBeGreaterThan(0);
    expect(host.stats.execs).toBe(1);
    await expectNoLeaks(host);
  });

  it("describes every error class, and only the network ones are transient", () => {
    expect(Object.keys(ERROR_CLASSES).sort()).toEqual([...ERROR_CLASS_NAMES].sort());
    for (const name of ERROR_CLASS_NAMES) {
      expect(ERROR_CLASSES[name].title.length).toBeGreaterThan(3);
      expect(ERROR_CLASSES[name].hint.length).toBeGreaterThan(20);
      expect(ERROR_CLASSES[name].transient).toBe(name === "unreachable" || name === "timeout");
    }
    const parseFailed = new ScanError("parse-failed", "not a probe document");
    expect(parseFailed.toJSON()).toMatchObject({
      errorClass: "parse-failed",
      transient: false,
      hint: ERROR_CLASSES["parse-failed"].hint,
    });
  });
});
