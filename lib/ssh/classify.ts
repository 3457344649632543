import { ScanError, type HostRole, type ServerAlgorithms } from "./errors";
import type { HostKeyCheck } from "./host-key";

export type Phase = "connect" | "handshake" | "auth" | "forward" | "exec";

export type HopState = {
  role: HostRole;
  phase: Phase;
  hostKey: HostKeyCheck;
  serverAlgorithms: ServerAlgorithms;
  startedAt: number;
  // "address:port" of this hop, recorded with a host-key mismatch so a re-trust can tell the key still belongs
  // to the same endpoint.
  endpoint?: string;
};

// ssh2 errors carry `level` (client-socket, client-timeout, client-authentication, agent, handshake, protocol)
// and, for socket errors, a Node `code`; server DISCONNECT messages carry the numeric reason as `code`.
type Ssh2Error = Error & { level?: string; code?: string | number; reason?: number };

const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "ETIMEDOUT",
  "EADDRNOTAVAIL",
]);

const DISCONNECT_KEY_EXCHANGE_FAILED = 3;
const DISCONNECT_NO_MORE_AUTH_METHODS = 14;

function where(hop: HopState): string {
  return hop.role === "jump" ? "jump host" : "host";
}

// ssh2 reports what the server offered only through its debug hook, one line per list, in negotiation order;
// a list after the first one that failed to match is never printed.
export function captureServerAlgorithms(target: ServerAlgorithms): (line: string) => void {
  const keys: Record<string, keyof ServerAlgorithms> = {
    "KEX method": "kex",
    "Host key format": "serverHostKey",
    "S->C cipher": "cipher",
    "S->C MAC": "mac",
    "S->C compression": "compress",
  };
  return (line) => {
    if (!line.startsWith("Handshake: (remote) ")) return;
    const rest = line.slice("Handshake: (remote) ".length);
    const colon = rest.indexOf(": ");
    const key = keys[rest.slice(0, colon)];
    if (key !== undefined)
      target[key] = rest
        .slice(colon + 2)
        .split(",")
        .filter(Boolean);
  };
}

// The last list ssh2 printed is the one that failed to match; name what the server offered there.
// Extension markers (ext-info-s, kex-strict-s-v00@openssh.com) are not algorithms, so they are left out of the text.
function offered(algorithms: ServerAlgorithms): string {
  const entries = Object.entries(algorithms) as [keyof ServerAlgorithms, string[]][];
  const last = entries[entries.length - 1];
  if (!last) return "";
  const names = last[1].filter((name) => !name.startsWith("ext-info-") && !name.startsWith("kex-strict-"));
  return ` The server offers ${last[0]}: ${names.join(", ") || "nothing"}.`;
}

export function classifyError(raw: unknown, hop: HopState): ScanError {
  const err = (raw instanceof Error ? raw : new Error(String(raw))) as Ssh2Error;
  const base = { host: hop.role, phase: hop.phase, cause: err.message, elapsedMs: Date.now() - hop.startedAt };

  const pinFailure = hop.hostKey.pinFailure();
  if (pinFailure) {
    return new ScanError(
      "unreachable",
      `DAXboard could not record the ${where(hop)}'s key before logging in, so it sent no credential; the scan is retried.`,
      { ...base, cause: pinFailure.slice(0, 300) },
    );
  }
  const mismatch = hop.hostKey.mismatch();
  if (mismatch) {
    return new ScanError(
      "host-key-mismatch",
      `The ${where(hop)} presented host key ${mismatch.presented.fingerprint} (${mismatch.presented.algorithm}), but ${mismatch.expected} is pinned.`,
      {
        ...base,
        expectedFingerprint: mismatch.expected,
        presentedFingerprint: mismatch.presented.fingerprint,
        presentedAlgorithm: mismatch.presented.algorithm,
        ...(hop.endpoint ? { presentedBy: hop.endpoint } : {}),
      },
    );
  }

  if (err.level === "client-timeout") {
    const keepalive = err.message.startsWith("Keepalive");
    return new ScanError(
      "timeout",
      keepalive
        ? `The ${where(hop)} stopped answering keepalives.`
        : `The ${where(hop)} did not complete the SSH handshake in time.`,
      { ...base, deadline: keepalive ? "keepalive" : "connect" },
    );
  }

  if (
    err.level === "client-socket" ||
    err.level === "client-dns" ||
    (typeof err.code === "string" && SOCKET_CODES.has(err.code))
  ) {
    const code = typeof err.code === "string" ? ` (${err.code})` : "";
    return new ScanError(
      "unreachable",
      hop.phase === "exec"
        ? `The connection to the ${where(hop)} broke during the probe${code}.`
        : `Could not reach the ${where(hop)}${code}.`,
      base,
    );
  }

  if (err.level === "client-authentication" || err.level === "agent" || err.code === DISCONNECT_NO_MORE_AUTH_METHODS) {
    return new ScanError(
      "auth-failed",
      err.level === "agent"
        ? `The SSH agent could not be used for the ${where(hop)}.`
        : `The ${where(hop)} rejected every authentication method offered.`,
      base,
    );
  }

  if (err.level === "handshake" || err.code === DISCONNECT_KEY_EXCHANGE_FAILED) {
    return new ScanError(
      "kex-failed",
      `Key exchange with the ${where(hop)} failed (${err.message.replace(/^Handshake failed: /, "")}).${/no matching/i.test(err.message) ? offered(hop.serverAlgorithms) : ""}`,
      {
        ...base,
        serverAlgorithms: hop.serverAlgorithms,
      },
    );
  }

  if (err.message === "Connection lost before handshake") {
    return new ScanError("unreachable", `The ${where(hop)} closed the connection before sending an SSH banner.`, base);
  }

  // Protocol errors before authentication mean the far end is not speaking SSH as expected.
  if (hop.phase === "connect" || hop.phase === "handshake") {
    return new ScanError("kex-failed", `The ${where(hop)} did not complete an SSH handshake: ${err.message}.`, {
      ...base,
      serverAlgorithms: hop.serverAlgorithms,
    });
  }
  if (hop.phase === "auth") {
    return new ScanError(
      "auth-failed",
      `The ${where(hop)} ended the session during authentication: ${err.message}.`,
      base,
    );
  }
  if (hop.phase === "forward") {
    return new ScanError("unreachable", `The jump host could not open a tunnel to the target: ${err.message}.`, base);
  }
  return new ScanError(
    "probe-failed",
    `The session with the ${where(hop)} failed during the probe: ${err.message}.`,
    base,
  );
}

// The connection closed with no error event: which phase it died in decides the class.
export function classifyClose(hop: HopState): ScanError {
  const base = { host: hop.role, phase: hop.phase, elapsedMs: Date.now() - hop.startedAt };
  if (hop.phase === "exec") {
    return new ScanError("probe-failed", `The ${where(hop)} closed the connection before the probe finished.`, base);
  }
  if (hop.phase === "auth") {
    return new ScanError("auth-failed", `The ${where(hop)} closed the connection during authentication.`, base);
  }
  return new ScanError("unreachable", `The ${where(hop)} closed the connection during the SSH handshake.`, base);
}
