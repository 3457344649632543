import type { Duplex } from "node:stream";
import ssh2, { type Client, type ClientChannel } from "ssh2";
import { classifyClose, classifyError, type HopState } from "./classify";
import { configError, connectConfig, connectDeadlineMessage, resolveLimits, seconds } from "./connect-config";
import { ScanError, tail, type HostRole } from "./errors";
import { resolveAllowed } from "./address-policy";
import { hostKeyCheck, type HostKeyCheck } from "./host-key";
import { assertProbeCommand } from "./probe-command";
import type { ObservedHostKey, ProbeResult, RunProbeOptions, SshEndpoint, SshTarget } from "./types";

// ssh2 is CommonJS and Node's ESM loader cannot see most of its named exports; the default import works
// under Node, tsx, Vitest and Next alike.
const { Client: SshClient } = ssh2;

// Channel-open failure reason from RFC 4254 §5.1: the jump host's sshd forbids forwarding for this user.
const OPEN_ADMINISTRATIVELY_PROHIBITED = 1;

function newHop(role: HostRole, hostKey: HostKeyCheck, endpoint: SshEndpoint): HopState {
  return {
    role,
    phase: "connect",
    hostKey,
    serverAlgorithms: {},
    startedAt: Date.now(),
    endpoint: `${endpoint.host}:${endpoint.port}`,
  };
}

function observed(check: HostKeyCheck, pinned: string | undefined): ObservedHostKey {
  const seen = check.seen();
  // ready is only reached after hostVerifier ran, so a missing key here is a bug in this module or in ssh2.
  if (!seen) throw new Error("host key was never verified");
  return { ...seen, trust: pinned === undefined ? "first-use" : "pinned" };
}

function policyError(hop: HopState, reason: string, notFound: boolean | undefined): ScanError {
  const who = hop.role === "jump" ? "jump host" : "host";
  if (notFound)
    return new ScanError("unreachable", `The ${who}'s address could not be resolved: ${reason}.`, {
      host: hop.role,
      phase: "connect",
      cause: reason,
    });
  return new ScanError("policy-blocked", `DAXboard did not connect to the ${who}: ${reason}.`, {
    host: hop.role,
    phase: "connect",
    cause: reason,
  });
}

// One scan: one connection (two through a jump host), ONE exec of `sh -s -- <token>` with the probe script on
// stdin, bounded by three deadlines and an output cap. Every path ends and destroys every connection it opened.
export function runProbe(target: SshTarget, options: RunProbeOptions): Promise<ProbeResult> {
  assertProbeCommand(options.command);
  const limits = resolveLimits(options);
  const targetHop = newHop("target", hostKeyCheck(target.hostKey.fingerprint, target.hostKey.pinOnFirstUse), target);
  const jump = target.jump;
  const jumpHop = jump
    ? newHop("jump", hostKeyCheck(jump.hostKey.fingerprint, jump.hostKey.pinOnFirstUse), jump)
    : undefined;
  const policy = options.addressPolicy && !options.addressPolicy.isEmpty ? options.addressPolicy : undefined;

  return new Promise<ProbeResult>((resolve, reject) => {
    const startedAt = performance.now();
    const clients: Client[] = [];
    const timers: NodeJS.Timeout[] = [];
    let current: HopState = jumpHop ?? targetHop;
    let settled = false;
    let connectMs = 0;

    const closeAll = () => {
      for (const timer of timers) clearTimeout(timer);
      // Target first, then the jump host whose channel carries it.
      for (const client of clients.reverse()) {
        try {
          client.end();
        } catch {
          // The socket may already be gone; destroy() below is what guarantees it.
        }
        client.destroy();
      }
    };
    const fail = (error: ScanError) => {
      if (settled) return;
      settled = true;
      closeAll();
      reject(error);
    };
    const succeed = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      closeAll();
      resolve(result);
    };
    const deadline = (ms: number, makeError: () => ScanError) => {
      const timer = setTimeout(() => fail(makeError()), ms);
      timers.push(timer);
      return timer;
    };

    deadline(
      limits.scanTimeoutMs,
      () =>
        new ScanError("timeout", `The scan did not finish within its ${seconds(limits.scanTimeoutMs)} deadline.`, {
          host: current.role,
          phase: current.phase,
          deadline: "scan",
          deadlineMs: limits.scanTimeoutMs,
          elapsedMs: Math.round(performance.now() - startedAt),
        }),
    );

    const connectHop = (
      hop: HopState,
      endpoint: SshEndpoint,
      sock: Duplex | undefined,
      onReady: (client: Client) => void,
    ) => {
      current = hop;
      hop.startedAt = Date.now();
      hop.phase = sock ? "handshake" : "connect";
      const connectTimer = deadline(
        limits.connectTimeoutMs,
        () =>
          new ScanError("timeout", connectDeadlineMessage(hop, limits.connectTimeoutMs), {
            host: hop.role,
            phase: hop.phase,
            deadline: "connect",
            deadlineMs: limits.connectTimeoutMs,
            elapsedMs: Date.now() - hop.startedAt,
          }),
      );
      const client = new SshClient();
      clients.push(client);
      client.on("error", (err) => fail(classifyError(err, hop)));
      client.on("close", () => fail(classifyClose(hop)));
      client.on("connect", () => {
        hop.phase = "handshake";
        client.setNoDelay(true);
      });
      client.on("handshake", () => {
        hop.phase = "auth";
      });
      client.on("ready", () => {
        clearTimeout(connectTimer);
        onReady(client);
      });
      const start = (address?: string) => {
        if (settled) return;
        try {
          client.connect(connectConfig(endpoint, hop, limits, sock, address));
        } catch (err) {
          fail(configError(err, hop));
        }
      };
      // A tunnelled hop was checked before the jump host was asked to open it (see below).
      if (!policy || sock) {
        start();
        return;
      }
      void resolveAllowed(endpoint.host, policy).then((resolved) => {
        if (resolved.ok) start(resolved.address);
        else fail(policyError(hop, resolved.reason, resolved.notFound));
      });
    };

    const runExec = (client: Client) => {
      connectMs = performance.now() - startedAt;
      targetHop.phase = "exec";
      const execStartedAt = performance.now();
      deadline(
        limits.execTimeoutMs,
        () =>
          new ScanError("timeout", `The probe did not finish within ${seconds(limits.execTimeoutMs)}.`, {
            host: "target",
            phase: "exec",
            deadline: "exec",
            deadlineMs: limits.execTimeoutMs,
            elapsedMs: Math.round(performance.now() - execStartedAt),
          }),
      );
      client.exec(options.command, (err, stream) => {
        if (err) {
          fail(
            new ScanError("probe-failed", "The host refused to run the probe command.", {
              host: "target",
              phase: "exec",
              cause: err.message,
            }),
          );
          return;
        }
        collect(stream, execStartedAt);
      });
    };

    const collect = (stream: ClientChannel, execStartedAt: number) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let outputBytes = 0;
      let exitCode: number | null = null;
      let signal: string | undefined;
      const take = (into: Buffer[]) => (chunk: Buffer) => {
        if (settled) return;
        outputBytes += chunk.length;
        if (outputBytes > limits.maxOutputBytes) {
          // Stop reading at once: fail() destroys the connection, so the rest is never buffered.
          fail(
            new ScanError("output-too-large", `The probe printed more than ${limits.maxOutputBytes} bytes.`, {
              host: "target",
              phase: "exec",
              limitBytes: limits.maxOutputBytes,
            }),
          );
          return;
        }
        into.push(chunk);
      };
      stream.on("data", take(stdout));
      stream.stderr.on("data", take(stderr));
      stream.on("error", (err: Error) => fail(classifyError(err, targetHop)));
      stream.stderr.on("error", (err: Error) => fail(classifyError(err, targetHop)));
      // exit-status carries a code; exit-signal carries (null, signalName).
      stream.on("exit", (code: number | null, signalName?: string) => {
        exitCode = typeof code === "number" ? code : null;
        signal = signalName ?? undefined;
      });
      stream.on("close", () => {
        if (settled) return;
        const stderrText = Buffer.concat(stderr).toString("utf8");
        if (exitCode !== 0) {
          const how =
            exitCode !== null
              ? `exited with status ${exitCode}`
              : signal
                ? `was killed by signal ${signal}`
                : "ended without an exit status";
          fail(
            new ScanError("probe-failed", `The probe ${how}.`, {
              host: "target",
              phase: "exec",
              exitCode,
              signal,
              stderrTail: tail(stderrText),
            }),
          );
          return;
        }
        const execMs = performance.now() - execStartedAt;
        succeed({
          stdout: Buffer.concat(stdout).toString("utf8"),
          stderr: stderrText,
          exitCode: 0,
          outputBytes,
          hostKey: observed(targetHop.hostKey, target.hostKey.fingerprint),
          ...(jump && jumpHop ? { jumpHostKey: observed(jumpHop.hostKey, jump.hostKey.fingerprint) } : {}),
          timings: {
            connectMs: Math.round(connectMs),
            execMs: Math.round(execMs),
            totalMs: Math.round(performance.now() - startedAt),
          },
        });
      });
      stream.end(options.stdin ?? "");
    };

    if (!jump || !jumpHop) {
      connectHop(targetHop, target, undefined, runExec);
      return;
    }
    connectHop(jumpHop, jump, undefined, async (jumpClient) => {
      jumpHop.phase = "forward";
      // With a policy, the target's name is resolved here, every address it has must be allowed, and the jump host
      // is asked for the checked address, not the name: it cannot resolve the name somewhere else (split-horizon
      // DNS, rebinding). A name only the jump host can resolve is refused.
      let forwardTo = target.host;
      if (policy) {
        const resolved = await resolveAllowed(target.host, policy, { every: true });
        if (!resolved.ok) {
          fail(
            policyError(
              targetHop,
              resolved.notFound
                ? `${resolved.reason}; with a network policy set, a target behind a jump host must resolve here`
                : resolved.reason,
              false,
            ),
          );
          return;
        }
        if (settled) return;
        forwardTo = resolved.address;
      }
      const forwardTimer = deadline(
        limits.connectTimeoutMs,
        () =>
          new ScanError("timeout", connectDeadlineMessage(jumpHop, limits.connectTimeoutMs), {
            host: "jump",
            phase: "forward",
            deadline: "connect",
            deadlineMs: limits.connectTimeoutMs,
          }),
      );
      jumpClient.forwardOut("127.0.0.1", 0, forwardTo, target.port, (err, channel) => {
        clearTimeout(forwardTimer);
        if (err) {
          const reason = (err as Error & { reason?: number }).reason;
          const errorClass = reason === OPEN_ADMINISTRATIVELY_PROHIBITED ? "auth-failed" : "unreachable";
          fail(
            new ScanError(
              errorClass,
              `The jump host could not open a tunnel to ${target.host}:${target.port}: ${err.message}.`,
              {
                host: "jump",
                phase: "forward",
                cause: err.message,
              },
            ),
          );
          return;
        }
        channel.on("error", (channelErr: Error) => fail(classifyError(channelErr, targetHop)));
        // From here on the jump connection only carries the tunnel; if it dies, the target hop reports it.
        jumpHop.phase = "exec";
        connectHop(targetHop, target, channel, runExec);
      });
    });
  });
}
