import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import ssh2 from "ssh2";
import { normalizeFingerprint, probeCommand, runProbe, type SshEndpoint, type SshTarget } from "../../lib/ssh";
import type { SimHost } from "../support/sim-fleet";
import { scanFailure, simHostsClosedAfterEach } from "../support/ssh-test-helpers";
import { sshKeygenFingerprint } from "../support/sshd";

const LIMITS = { connectTimeoutMs: 2_000, execTimeoutMs: 2_000, scanTimeoutMs: 4_000 };
const COMMAND = probeCommand("KeyToken7");

const simHost = simHostsClosedAfterEach();

function endpoint(host: SimHost, fingerprint?: string): SshEndpoint {
  return {
    host: host.host,
    port: host.port,
    username: host.username,
    auth: { type: "key", privateKey: host.clientKey!.privateKey },
    hostKey: { fingerprint },
  };
}

function hostKeyOfType(type: "ecdsa" | "rsa") {
  const pair = ssh2.utils.generateKeyPairSync(type, { bits: type === "rsa" ? 2048 : 256 });
  return { privateKey: pair.private, publicKey: pair.public };
}

describe("host key verification", () => {
  it("trusts on first use and returns the key to record", async () => {
    const host = await simHost();
    const result = await runProbe(endpoint(host), { command: COMMAND, ...LIMITS });
    expect(result.hostKey).toEqual({
      algorithm: "ssh-ed25519",
      fingerprint: host.hostKeyFingerprint,
      trust: "first-use",
    });
    await host.waitIdle();
  });

  it("accepts the pinned key, also when pasted with padding and spaces", async () => {
    const host = await simHost();
    const result = await runProbe(endpoint(host, ` ${host.hostKeyFingerprint}= `), { command: COMMAND, ...LIMITS });
    expect(result.hostKey).toEqual({ algorithm: "ssh-ed25519", fingerprint: host.hostKeyFingerprint, trust: "pinned" });
  });

  it("refuses a changed key with both fingerprints and never runs the probe", async () => {
    const host = await simHost();
    const other = await simHost();
    const error = await scanFailure(
      runProbe(endpoint(host, other.hostKeyFingerprint), { command: COMMAND, ...LIMITS }),
    );
    expect(error.errorClass).toBe("host-key-mismatch");
    expect(error.details).toMatchObject({
      host: "target",
      expectedFingerprint: other.hostKeyFingerprint,
      presentedFingerprint: host.hostKeyFingerprint,
      presentedAlgorithm: "ssh-ed25519",
    });
    expect(error.message).toContain(other.hostKeyFingerprint);
    expect(error.message).toContain(host.hostKeyFingerprint);
    expect(error.transient).toBe(false);
    expect(host.stats.execs).toBe(0);
    await host.waitIdle();
  });

  it.each([
    ["ecdsa", "ecdsa-sha2-nistp256"],
    ["rsa", "ssh-rsa"],
  ] as const)("names the algorithm of an %s host key as OpenSSH does", async (type, algorithm) => {
    const host = await simHost({ hostKey: hostKeyOfType(type) });
    const result = await runProbe(endpoint(host), { command: COMMAND, ...LIMITS });
    expect(result.hostKey.algorithm).toBe(algorithm);
    expect(result.hostKey.fingerprint).toBe(host.hostKeyFingerprint);
  });

  it.skipIf(!existsSync("/usr/bin/ssh-keygen"))("computes the same fingerprint as ssh-keygen -lf", async () => {
    const hostKey = hostKeyOfType("rsa");
    const host = await simHost({ hostKey });
    const dir = mkdtempSync(path.join(os.tmpdir(), "daxboard-fp-"));
    try {
      writeFileSync(path.join(dir, "host.pub"), `${hostKey.publicKey}\n`);
      const result = await runProbe(endpoint(host), { command: COMMAND, ...LIMITS });
      expect(result.hostKey.fingerprint).toBe(sshKeygenFingerprint(path.join(dir, "host.pub")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects a malformed pin as a caller error", async () => {
    const host = await simHost();
    expect(() => normalizeFingerprint("MD5:aa:bb")).toThrow(TypeError);
    expect(() => runProbe(endpoint(host, "SHA256:short"), { command: COMMAND })).toThrow(TypeError);
    expect(host.stats.connections).toBe(0);
  });
});

describe("jump host (forwardOut)", () => {
  async function jumpAndTarget() {
    const jump = await simHost({ allowForwarding: true });
    const target = await simHost();
    return { jump, target };
  }

  function through(jump: SimHost, target: SimHost, pins: { jump?: string; target?: string } = {}): SshTarget {
    return { ...endpoint(target, pins.target), jump: endpoint(jump, pins.jump) };
  }

  it("scans through a jump host and returns both keys", async () => {
    const { jump, target } = await jumpAndTarget();
    const result = await runProbe(through(jump, target), { command: COMMAND, ...LIMITS });
    expect(result.stdout).toContain("boundary=KeyToken7");
    expect(result.hostKey).toMatchObject({ fingerprint: target.hostKeyFingerprint, trust: "first-use" });
    expect(result.jumpHostKey).toMatchObject({ fingerprint: jump.hostKeyFingerprint, trust: "first-use" });
    expect(jump.stats.execs).toBe(0);
    expect(target.stats.execs).toBe(1);
    await Promise.all([jump.waitIdle(), target.waitIdle()]);
  });

  it("checks both pinned keys", async () => {
    const { jump, target } = await jumpAndTarget();
    const result = await runProbe(
      through(jump, target, { jump: jump.hostKeyFingerprint, target: target.hostKeyFingerprint }),
      {
        command: COMMAND,
        ...LIMITS,
      },
    );
    expect(result.hostKey.trust).toBe("pinned");
    expect(result.jumpHostKey?.trust).toBe("pinned");
  });

  it("refuses a jump host whose key changed, before reaching the target", async () => {
    const { jump, target } = await jumpAndTarget();
    const error = await scanFailure(
      runProbe(through(jump, target, { jump: target.hostKeyFingerprint }), { command: COMMAND, ...LIMITS }),
    );
    expect(error.errorClass).toBe("host-key-mismatch");
    expect(error.details).toMatchObject({
      host: "jump",
      presentedFingerprint: jump.hostKeyFingerprint,
      expectedFingerprint: target.hostKeyFingerprint,
    });
    expect(error.message).toContain("jump host");
    expect(target.stats.connections).toBe(0);
    await jump.waitIdle();
  });

  it("refuses a target whose key changed behind the jump host", async () => {
    const { jump, target } = await jumpAndTarget();
    const error = await scanFailure(
      runProbe(through(jump, target, { target: jump.hostKeyFingerprint }), { command: COMMAND, ...LIMITS }),
    );
    expect(error.errorClass).toBe("host-key-mismatch");
    expect(error.details).toMatchObject({ host: "target", presentedFingerprint: target.hostKeyFingerprint });
    await Promise.all([jump.waitIdle(), target.waitIdle()]);
  });

  it("reports a target the jump host cannot reach as unreachable", async () => {
    const jump = await simHost({ allowForwarding: true });
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await scanFailure(
      runProbe(
        {
          host: "127.0.0.1",
          port,
          username: "probe",
          auth: { type: "password", password: "unused" },
          hostKey: {},
          jump: endpoint(jump),
        },
        { command: COMMAND, ...LIMITS },
      ),
    );
    expect(error.errorClass).toBe("unreachable");
    expect(error.details).toMatchObject({ host: "jump", phase: "forward" });
    await jump.waitIdle();
  });

  it("reports a jump host that forbids forwarding as auth-failed", async () => {
    const { target } = await jumpAndTarget();
    const noForwarding = await simHost();
    const error = await scanFailure(runProbe(through(noForwarding, target), { command: COMMAND, ...LIMITS }));
    expect(error.errorClass).toBe("auth-failed");
    expect(error.details.phase).toBe("forward");
    expect(target.stats.connections).toBe(0);
  });
});
