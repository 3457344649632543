import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeCommand, runProbe, type SshAuth, type SshTarget } from "../../lib/ssh";
import { settleTcpSockets, startSimHost, type SimHost } from "../support/sim-fleet";
import { scanFailure } from "../support/ssh-test-helpers";
import { SSHD_MISSING, generateKeyFile, sshdAvailable, startSshAgent, startSshd, type Sshd } from "../support/sshd";

// Against a real OpenSSH sshd (Debian openssh-server) on a loopback port, started from a temp dir.
if (!sshdAvailable()) console.warn(`ssh-openssh.test.ts ${SSHD_MISSING}`);

// Deadlines far from what a healthy run needs (well under a second each), so a slow or busy machine never fails
// a test that checks behaviour; the test timeout sits above them. Speed belongs in `npm run bench`.
const LIMITS = { connectTimeoutMs: 60_000, execTimeoutMs: 60_000, scanTimeoutMs: 120_000 };
const TEST_TIMEOUT_MS = 150_000;
const TOKEN = "Real0Sshd0Token";

// Stands in for the probe: reads its token from $1 like the real one, writes a format-v1 document.
const SCRIPT = [
  'echo "daxboard-probe 1 boundary=$1"',
  'echo "--$1 arch rc=0"',
  "uname -m",
  'echo "--$1 user rc=0"',
  "id -un",
  'echo "note from stderr" >&2',
  'echo "--$1--"',
  "",
].join("\n");

describe.skipIf(!sshdAvailable())("real OpenSSH sshd", { timeout: TEST_TIMEOUT_MS }, () => {
  let sshd: Sshd;
  let pinned: string;

  beforeAll(async () => {
    sshd = await startSshd();
    pinned = sshd.hostKeyFingerprint;
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  // null: nothing pinned (trust on first use).
  const target = (auth?: SshAuth, fingerprint: string | null = pinned): SshTarget => ({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    auth: auth ?? { type: "key", privateKey: sshd.clientKey.privateKey },
    hostKey: { fingerprint: fingerprint ?? undefined },
  });

  it("runs sh -s -- <token> with the script on stdin and returns its output", async () => {
    const result = await runProbe(target(), { command: probeCommand(TOKEN), stdin: SCRIPT, ...LIMITS });
    const arch = execFileSync("uname", ["-m"], { encoding: "utf8" }).trim();
    expect(result.stdout).toBe(
      `daxboard-probe 1 boundary=${TOKEN}\n--${TOKEN} arch rc=0\n${arch}\n--${TOKEN} user rc=0\n${sshd.username}\n--${TOKEN}--\n`,
    );
    expect(result.stderr).toContain("note from stderr");
    expect(result.hostKey).toEqual({ algorithm: "ssh-ed25519", fingerprint: sshd.hostKeyFingerprint, trust: "pinned" });
    expect(result.timings.execMs).toBeGreaterThan(0);
    expect(await settleTcpSockets(0)).toBe(0);
  });

  it("records on first use the same fingerprint ssh-keygen prints", async () => {
    const result = await runProbe(target(undefined, null), { command: probeCommand(TOKEN), stdin: SCRIPT, ...LIMITS });
    expect(result.hostKey).toEqual({
      algorithm: "ssh-ed25519",
      fingerprint: sshd.hostKeyFingerprint,
      trust: "first-use",
    });
  });

  it.each([
    ["ecdsa", ""],
    ["rsa", ""],
    ["ed25519", "a throwaway passphrase"],
  ] as const)("logs in with an ssh-keygen %s key (passphrase: %j)", async (type, passphrase) => {
    const key = generateKeyFile(sshd.dir, `client_${type}_${passphrase ? "protected" : "plain"}`, type, passphrase);
    sshd.authorize(key.publicKey);
    const auth: SshAuth = { type: "key", privateKey: key.privateKey, ...(passphrase ? { passphrase } : {}) };
    const result = await runProbe(target(auth), { command: probeCommand(TOKEN), stdin: SCRIPT, ...LIMITS });
    expect(result.stdout).toContain(`boundary=${TOKEN}`);
  });

  it("logs in through a real ssh-agent", async () => {
    const agent = await startSshAgent();
    try {
      agent.add(sshd.clientKey.path);
      const result = await runProbe(target({ type: "agent", socketPath: agent.socketPath }), {
        command: probeCommand(TOKEN),
        stdin: SCRIPT,
        ...LIMITS,
      });
      expect(result.exitCode).toBe(0);
    } finally {
      await agent.stop();
    }
  });

  it("fails password auth when sshd allows keys only", async () => {
    const error = await scanFailure(
      runProbe(target({ type: "password", password: "nope-not-this" }), {
        command: probeCommand(TOKEN),
        stdin: SCRIPT,
        ...LIMITS,
      }),
    );
    expect(error.errorClass).toBe("auth-failed");
  });

  it("reports a non-zero exit with the script's stderr", async () => {
    const error = await scanFailure(
      runProbe(target(), {
        command: probeCommand(TOKEN),
        stdin: 'echo "cannot read /proc/cpuinfo" >&2\nexit 3\n',
        ...LIMITS,
      }),
    );
    expect(error.errorClass).toBe("probe-failed");
    expect(error.details.exitCode).toBe(3);
    expect(error.details.stderrTail).toContain("cannot read /proc/cpuinfo");
  });

  it("stops at the output cap", async () => {
    const error = await scanFailure(
      runProbe(target(), {
        command: probeCommand(TOKEN),
        stdin: "head -c 3000000 /dev/zero\n",
        ...LIMITS,
        maxOutputBytes: 1024 * 1024,
      }),
    );
    expect(error.errorClass).toBe("output-too-large");
    expect(await settleTcpSockets(0)).toBe(0);
  });

  it("times out a probe that hangs", async () => {
    const started = Date.now();
    const error = await scanFailure(
      runProbe(target(), { command: probeCommand(TOKEN), stdin: "sleep 30\n", ...LIMITS, execTimeoutMs: 1_000 }),
    );
    expect(error.errorClass).toBe("timeout");
    expect(error.details.deadline).toBe("exec");
    // Cut by the 1 s deadline (about 1 s when healthy), not by the 30 s hang ending.
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(await settleTcpSockets(0)).toBe(0);
  });

  it("serves 20 concurrent scans", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        runProbe(target(), { command: probeCommand(`${TOKEN}${i}`), stdin: SCRIPT, ...LIMITS }),
      ),
    );
    results.forEach((result, i) => expect(result.stdout).toContain(`boundary=${TOKEN}${i}\n`));
    expect(await settleTcpSockets(0)).toBe(0);
  });

  it("works as a jump host, forwarding to a simulated host with both keys pinned", async () => {
    const sim: SimHost = await startSimHost();
    try {
      const result = await runProbe(
        {
          host: sim.host,
          port: sim.port,
          username: sim.username,
          auth: { type: "key", privateKey: sim.clientKey!.privateKey },
          hostKey: { fingerprint: sim.hostKeyFingerprint },
          jump: target(),
        },
        { command: probeCommand(TOKEN), ...LIMITS },
      );
      expect(result.stdout).toContain(`boundary=${TOKEN}`);
      expect(result.jumpHostKey).toMatchObject({ fingerprint: sshd.hostKeyFingerprint, trust: "pinned" });
      await sim.waitIdle();
    } finally {
      await sim.close();
    }
  });

  // Last: it replaces the host key for good.
  it("refuses a regenerated host key and reports both fingerprints", async () => {
    const before = sshd.hostKeyFingerprint;
    const after = await sshd.regenerateHostKey();
    expect(after).not.toBe(before);
    const error = await scanFailure(
      runProbe(target(undefined, before), { command: probeCommand(TOKEN), stdin: SCRIPT, ...LIMITS }),
    );
    expect(error.errorClass).toBe("host-key-mismatch");
    expect(error.details).toMatchObject({
      expectedFingerprint: before,
      presentedFingerprint: after,
      presentedAlgorithm: "ssh-ed25519",
    });
    const retrusted = await runProbe(target(undefined, after), {
      command: probeCommand(TOKEN),
      stdin: SCRIPT,
      ...LIMITS,
    });
    expect(retrusted.hostKey.trust).toBe("pinned");
    expect(await settleTcpSockets(0)).toBe(0);
  });
});
