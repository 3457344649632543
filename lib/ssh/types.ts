import type { AddressPolicy } from "./address-policy";
import type { PinOnFirstUse, SeenHostKey } from "./host-key";

export type SshAuth =
  | { type: "key"; privateKey: string | Buffer; passphrase?: string }
  | { type: "password"; password: string }
  // socketPath defaults to SSH_AUTH_SOCK of the process running the scan.
  | { type: "agent"; socketPath?: string };

export type SshEndpoint = {
  host: string;
  port: number;
  username: string;
  auth: SshAuth;
  // No fingerprint: trust on first use. `pinOnFirstUse` records the key before authentication; without it the
  // result reports the key to record.
  hostKey: { fingerprint?: string; pinOnFirstUse?: PinOnFirstUse };
};

export type SshTarget = SshEndpoint & { jump?: SshEndpoint };

export type RunProbeOptions = {
  // Must be exactly `sh -s -- <token>` (see probe-command.ts); the script itself goes in on stdin.
  command: string;
  stdin?: string;
  connectTimeoutMs?: number;
  execTimeoutMs?: number;
  scanTimeoutMs?: number;
  maxOutputBytes?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  // Scan network policy, checked on resolved addresses before any connection (absent or empty: allow all).
  addressPolicy?: AddressPolicy;
};

export const DEFAULT_LIMITS = {
  connectTimeoutMs: 10_000,
  execTimeoutMs: 30_000,
  scanTimeoutMs: 45_000,
  maxOutputBytes: 1024 * 1024,
  keepaliveIntervalMs: 5_000,
  keepaliveCountMax: 3,
} as const;

export type ObservedHostKey = SeenHostKey & {
  // "pinned": matched the fingerprint given; "first-use": nothing was pinned, record this one.
  trust: "pinned" | "first-use";
};

export type ProbeResult = {
  stdout: string;
  stderr: string;
  exitCode: number;
  outputBytes: number;
  hostKey: ObservedHostKey;
  jumpHostKey?: ObservedHostKey;
  timings: { connectMs: number; execMs: number; totalMs: number };
};
