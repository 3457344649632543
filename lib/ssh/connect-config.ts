import type { Duplex } from "node:stream";
import type { ConnectConfig, PasswordAuthMethod, PublicKeyAuthMethod } from "ssh2";
import { captureServerAlgorithms, type HopState, type Phase } from "./classify";
import { ScanError } from "./errors";
import { cachedPrivateKey } from "./fast-key";
import { checkKeyKdfRounds } from "./key-kdf";
import { DEFAULT_LIMITS, type RunProbeOptions, type SshEndpoint } from "./types";

// How runProbe turns a target and its options into ssh2 connect settings, and its deadline messages.

export type Limits = Required<Omit<RunProbeOptions, "command" | "stdin" | "addressPolicy">>;

export function resolveLimits(options: RunProbeOptions): Limits {
  const pick = (value: number | undefined, fallback: number) => (value === undefined ? fallback : value);
  return {
    connectTimeoutMs: pick(options.connectTimeoutMs, DEFAULT_LIMITS.connectTimeoutMs),
    execTimeoutMs: pick(options.execTimeoutMs, DEFAULT_LIMITS.execTimeoutMs),
    scanTimeoutMs: pick(options.scanTimeoutMs, DEFAULT_LIMITS.scanTimeoutMs),
    maxOutputBytes: pick(options.maxOutputBytes, DEFAULT_LIMITS.maxOutputBytes),
    keepaliveIntervalMs: pick(options.keepaliveIntervalMs, DEFAULT_LIMITS.keepaliveIntervalMs),
    keepaliveCountMax: pick(options.keepaliveCountMax, DEFAULT_LIMITS.keepaliveCountMax),
  };
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

export function connectDeadlineMessage(hop: HopState, ms: number): string {
  const who = hop.role === "jump" ? "jump host" : "host";
  const messages: Record<Phase, string> = {
    connect: `No TCP connection to the ${who} within ${seconds(ms)}.`,
    handshake: `The ${who} accepted the connection but did not complete the SSH handshake within ${seconds(ms)}.`,
    auth: `Authentication with the ${who} did not finish within ${seconds(ms)}.`,
    forward: `The jump host did not open a tunnel to the target within ${seconds(ms)}.`,
    exec: `The probe did not finish within ${seconds(ms)}.`,
  };
  return messages[hop.phase];
}

// `address`: the IP the network policy checked, when there is a policy; the connection goes there and nowhere else.
export function connectConfig(
  endpoint: SshEndpoint,
  hop: HopState,
  limits: Limits,
  sock: Duplex | undefined,
  address?: string,
): ConnectConfig {
  const base: ConnectConfig = {
    host: address ?? endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    sock,
    // Always set: without hostVerifier ssh2 accepts any host key.
    hostVerifier: (keyBlob: Buffer, done: (ok: boolean) => void) => hop.hostKey.verify(keyBlob, done),
    // Our own connect deadline fires first with a better message; ssh2's is only a backstop.
    readyTimeout: limits.connectTimeoutMs + 1_000,
    keepaliveInterval: limits.keepaliveIntervalMs,
    keepaliveCountMax: limits.keepaliveCountMax,
    tryKeyboard: false,
    debug: captureServerAlgorithms(hop.serverAlgorithms),
  };
  const auth = endpoint.auth;
  switch (auth.type) {
    // One method each, straight away: ssh2's default order tries "none" first, a round trip no host of ours
    // accepts. The key is parsed once per credential (cachedPrivateKey) and signs with a decoded KeyObject.
    case "key": {
      // A key stored before registration checked its KDF cost must not stall the worker either (issue 12).
      const tooCostly = checkKeyKdfRounds(auth.privateKey.toString());
      if (tooCostly)
        throw new ScanError(
          "auth-failed",
          `The private key for the ${hop.role === "jump" ? "jump host" : "host"} was not read: ${tooCostly}.`,
          { host: hop.role, phase: "auth" },
        );
      const method: PublicKeyAuthMethod = {
        type: "publickey",
        username: endpoint.username,
        key: cachedPrivateKey(auth.privateKey, auth.passphrase),
      };
      return { ...base, authHandler: [method] };
    }
    case "password": {
      const method: PasswordAuthMethod = { type: "password", username: endpoint.username, password: auth.password };
      return { ...base, authHandler: [method] };
    }
    case "agent": {
      const socketPath = auth.socketPath ?? process.env.SSH_AUTH_SOCK;
      if (!socketPath) {
        throw new ScanError(
          "auth-failed",
          "Agent authentication was chosen, but no agent socket is set (SSH_AUTH_SOCK).",
          {
            host: hop.role,
            phase: "auth",
          },
        );
      }
      return { ...base, agent: socketPath };
    }
  }
}

// ssh2 parses the private key inside connect() and throws synchronously; its messages name the problem
// ("no passphrase given", "bad passphrase?") and never contain key material.
export function configError(err: unknown, hop: HopState): ScanError {
  if (err instanceof ScanError) return err;
  const cause = err instanceof Error ? err.message : String(err);
  if (/privateKey|passphrase/i.test(cause)) {
    return new ScanError(
      "auth-failed",
      `The private key for the ${hop.role === "jump" ? "jump host" : "host"} could not be read (missing or wrong passphrase, or an unsupported format).`,
      { host: hop.role, phase: "auth", cause },
    );
  }
  return new ScanError("unreachable", `Could not start a connection: ${cause}.`, {
    host: hop.role,
    phase: "connect",
    cause,
  });
}
