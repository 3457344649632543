import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ssh2 from "ssh2";
import { ScanError, probeCommand, runProbe, type SshAuth, type SshTarget } from "../../lib/ssh";
import type { SimHost } from "../support/sim-fleet";
import { scanFailure, simHostsClosedAfterEach } from "../support/ssh-test-helpers";
import { generateKeyFile, startSshAgent, type SshAgent } from "../support/sshd";

const LIMITS = { connectTimeoutMs: 2_000, execTimeoutMs: 2_000, scanTimeoutMs: 4_000 };
const COMMAND = probeCommand("AuthToken1");

const simHost = simHostsClosedAfterEach();

function target(host: SimHost, auth: SshAuth, username = host.username): SshTarget {
  return { host: host.host, port: host.port, username, auth, hostKey: { fingerprint: host.hostKeyFingerprint } };
}

async function expectAuthFailed(scan: Promise<unknown>, secret?: string): Promise<ScanError> {
  const error = await scanFailure(scan);
  expect(error.errorClass).toBe("auth-failed");
  if (secret) {
    expect(error.message).not.toContain(secret);
    expect(JSON.stringify(error.toJSON())).not.toContain(secret);
  }
  return error;
}

// Keys generated at test time by ssh2 (sim tests must not depend on OpenSSH); ssh-openssh.test.ts repeats the key
// types with ssh-keygen's files against a real sshd.
function keyPair(type: "ed25519" | "ecdsa" | "rsa", passphrase?: string) {
  const protection: { passphrase: string; cipher: string; rounds: number } | { comment?: string } = passphrase
    ? { passphrase, cipher: "aes256-ctr", rounds: 4 }
    : {};
  // ssh2 1.17.0 writes a malformed ed25519 key about 1 time in 256 (see generateKeyPair in sim-fleet.ts):
  // draw again until the key parses, so this test is about login and never flaky.
  for (;;) {
    const pair =
      type === "rsa"
        ? ssh2.utils.generateKeyPairSync("rsa", { bits: 2048, ...protection })
        : type === "ecdsa"
          ? ssh2.utils.generateKeyPairSync("ecdsa", { bits: 256, ...protection })
          : ssh2.utils.generateKeyPairSync("ed25519", protection);
    if (!(ssh2.utils.parseKey(pair.private, passphrase) instanceof Error))
      return { privateKey: pair.private, publicKey: pair.public };
  }
}

describe("key authentication", () => {
  it.each(["ed25519", "ecdsa", "rsa"] as const)("logs in with an %s key", async (type) => {
    const key = keyPair(type);
    const host = await simHost({ authorizedKeys: [key.publicKey] });
    const result = await runProbe(target(host, { type: "key", privateKey: key.privateKey }), {
      command: COMMAND,
      ...LIMITS,
    });
    expect(result.stdout).toContain("boundary=AuthToken1");
    await host.waitIdle();
  });

  it.each(["ed25519", "rsa"] as const)("logs in with a passphrase-protected %s key", async (type) => {
    const passphrase = `pass-${type}-${Math.random().toString(36).slice(2)}`;
    const key = keyPair(type, passphrase);
    const host = await simHost({ authorizedKeys: [key.publicKey] });
    const result = await runProbe(target(host, { type: "key", privateKey: key.privateKey, passphrase }), {
      command: COMMAND,
      ...LIMITS,
    });
    expect(result.exitCode).toBe(0);
  });

  it("fails a protected key with a missing or wrong passphrase before connecting, without echoing it", async () => {
    const passphrase = "correct horse battery staple";
    const key = keyPair("ed25519", passphrase);
    const host = await simHost({ authorizedKeys: [key.publicKey] });
    const missing = await expectAuthFailed(
      runProbe(target(host, { type: "key", privateKey: key.privateKey }), { command: COMMAND, ...LIMITS }),
    );
    expect(missing.message).toMatch(/private key/);
    await expectAuthFailed(
      runProbe(target(host, { type: "key", privateKey: key.privateKey, passphrase: "wrong passphrase 42" }), {
        command: COMMAND,
        ...LIMITS,
      }),
      "wrong passphrase 42",
    );
    expect(host.stats.connections).toBe(0);
  });

  it("rejects a key that is not authorized", async () => {
    const host = await simHost({});
    const stranger = keyPair("ed25519");
    const error = await expectAuthFailed(
      runProbe(target(host, { type: "key", privateKey: stranger.privateKey }), { command: COMMAND, ...LIMITS }),
    );
    expect(error.details).toMatchObject({ host: "target", phase: "auth" });
    expect(JSON.stringify(error.toJSON())).not.toContain("PRIVATE KEY");
    expect(host.stats.execs).toBe(0);
    await host.waitIdle();
  });

  it("rejects the right key for the wrong user", async () => {
    const host = await simHost({});
    await expectAuthFailed(
      runProbe(target(host, { type: "key", privateKey: host.clientKey!.privateKey }, "root"), {
        command: COMMAND,
        ...LIMITS,
      }),
    );
  });
});

describe("password authentication", () => {
  it("logs in with the right password", async () => {
    const host = await simHost({ auth: "password" });
    const result = await runProbe(target(host, { type: "password", password: host.password! }), {
      command: COMMAND,
      ...LIMITS,
    });
    expect(result.stdout).toContain("daxboard-probe 1");
    await host.waitIdle();
  });

  it("fails a wrong password without echoing it", async () => {
    const host = await simHost({ auth: "password" });
    await expectAuthFailed(
      runProbe(target(host, { type: "password", password: "hunter2-not-it" }), { command: COMMAND, ...LIMITS }),
      "hunter2-not-it",
    );
    await host.waitIdle();
  });
});

const haveAgent =
  existsSync("/usr/bin/ssh-agent") && existsSync("/usr/bin/ssh-add") && existsSync("/usr/bin/ssh-keygen");
if (!haveAgent) console.warn("ssh-agent tests skipped: install openssh-client (ssh-agent, ssh-add, ssh-keygen)");

describe.skipIf(!haveAgent)("agent authentication (real ssh-agent)", () => {
  let agent: SshAgent;
  let keyDir: string;
  let publicKey: string;

  beforeAll(async () => {
    keyDir = mkdtempSync(path.join(os.tmpdir(), "daxboard-agent-keys-"));
    const key = generateKeyFile(keyDir, "agent_ed25519", "ed25519");
    publicKey = key.publicKey;
    agent = await startSshAgent();
    agent.add(key.path);
  });
  afterAll(async () => {
    await agent?.stop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it("signs with a key held by the agent at an explicit socket", async () => {
    const host = await simHost({ authorizedKeys: [publicKey] });
    const result = await runProbe(target(host, { type: "agent", socketPath: agent.socketPath }), {
      command: COMMAND,
      ...LIMITS,
    });
    expect(result.stdout).toContain("boundary=AuthToken1");
    await host.waitIdle();
  });

  it("uses SSH_AUTH_SOCK when no socket is given", async () => {
    const host = await simHost({ authorizedKeys: [publicKey] });
    const saved = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = agent.socketPath;
    try {
      const result = await runProbe(target(host, { type: "agent" }), { command: COMMAND, ...LIMITS });
      expect(result.exitCode).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  });

  it("fails when the agent holds no authorized key", async () => {
    const host = await simHost({});
    await expectAuthFailed(
      runProbe(target(host, { type: "agent", socketPath: agent.socketPath }), { command: COMMAND, ...LIMITS }),
    );
    await host.waitIdle();
  });

  it("fails agent auth with no socket at all, before connecting", async () => {
    const host = await simHost({});
    const saved = process.env.SSH_AUTH_SOCK;
    delete process.env.SSH_AUTH_SOCK;
    try {
      const error = await expectAuthFailed(runProbe(target(host, { type: "agent" }), { command: COMMAND, ...LIMITS }));
      expect(error.message).toContain("SSH_AUTH_SOCK");
      expect(host.stats.connections).toBe(0);
    } finally {
      if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
    }
  });
});
