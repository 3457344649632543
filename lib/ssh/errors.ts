// Every way a scan can fail, as a closed set of classes. The UI and the API show the title and hint from
// ERROR_CLASSES; the queue retries only the transient ones (issue 5, part 2).
export const ERROR_CLASS_NAMES = [
  "unreachable",
  "timeout",
  "host-key-mismatch",
  "auth-failed",
  "kex-failed",
  "probe-failed",
  "output-too-large",
  "parse-failed",
  "policy-blocked",
  "credential-held",
] as const;

export type ErrorClass = (typeof ERROR_CLASS_NAMES)[number];

export type ErrorClassInfo = { title: string; hint: string; transient: boolean };

export const ERROR_CLASSES: Record<ErrorClass, ErrorClassInfo> = {
  unreachable: {
    title: "Host unreachable",
    hint: "Check the address and port, that sshd is running, and that a firewall or security group lets this server in. The scan is retried automatically.",
    transient: true,
  },
  timeout: {
    title: "Timed out",
    hint: "The host answered too slowly. Check its load and network path, or raise the scan deadlines. The scan is retried automatically.",
    transient: true,
  },
  "host-key-mismatch": {
    title: "Host key changed",
    hint: "The host presented a different key than the one pinned. Verify the new fingerprint out of band (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub on the host); if the change is legitimate, an admin can re-trust the new key.",
    transient: false,
  },
  "auth-failed": {
    title: "Authentication failed",
    hint: "Check the username and credential: the public key must be in the user's authorized_keys, the passphrase must match, or the agent must hold the key.",
    transient: false,
  },
  "kex-failed": {
    title: "No common SSH algorithms",
    hint: "The host and DAXboard share no key exchange, host key, cipher or MAC algorithm. Compare the algorithms the host offers (shown) with a current OpenSSH and update sshd's configuration.",
    transient: false,
  },
  "probe-failed": {
    title: "Probe failed",
    hint: "The probe script ran but exited with an error. Read its stderr (shown); the user needs a POSIX sh and permission to run it.",
    transient: false,
  },
  "output-too-large": {
    title: "Output too large",
    hint: "The host sent more output than the cap allows; a login banner or shell profile printing to stdout is a common cause.",
    transient: false,
  },
  "parse-failed": {
    title: "Unreadable probe output",
    hint: "The output is not a probe document. A shell profile that prints text, or a restricted shell, can corrupt it; try `ssh host sh -s < probe.sh` by hand.",
    transient: false,
  },
  "policy-blocked": {
    title: "Blocked by network policy",
    hint: "The host's address (after DNS resolution) is outside the scan network policy an admin set in Settings. Change the address, or ask an admin to allow its range.",
    transient: false,
  },
  "credential-held": {
    title: "Credential held for review",
    hint: "DAXboard did not send the stored credential: the host's address or jump host changed, or the credential is missing. An admin must re-enter or confirm it on the host's page.",
    transient: false,
  },
};

export type HostRole = "target" | "jump";

export type ServerAlgorithms = {
  kex?: string[];
  serverHostKey?: string[];
  cipher?: string[];
  mac?: string[];
  compress?: string[];
};

// What a failed scan knows about itself. Never holds a credential: messages and details are built from
// fixed text, fingerprints, algorithm names, exit codes and the host's own stderr.
export type ScanErrorDetails = {
  host?: HostRole;
  phase?: "connect" | "handshake" | "auth" | "forward" | "exec";
  deadline?: "connect" | "exec" | "scan" | "keepalive";
  deadlineMs?: number;
  expectedFingerprint?: string;
  presentedFingerprint?: string;
  presentedAlgorithm?: string;
  // "address:port" of the hop that presented a mismatching key.
  presentedBy?: string;
  serverAlgorithms?: ServerAlgorithms;
  exitCode?: number | null;
  signal?: string;
  stderrTail?: string;
  limitBytes?: number;
  cause?: string;
  elapsedMs?: number;
};

export class ScanError extends Error {
  readonly transient: boolean;
  readonly hint: string;

  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    readonly details: ScanErrorDetails = {},
  ) {
    super(message);
    this.name = "ScanError";
    this.transient = ERROR_CLASSES[errorClass].transient;
    this.hint = ERROR_CLASSES[errorClass].hint;
  }

  toJSON(): { errorClass: ErrorClass; message: string; hint: string; transient: boolean; details: ScanErrorDetails } {
    return {
      errorClass: this.errorClass,
      message: this.message,
      hint: this.hint,
      transient: this.transient,
      details: this.details,
    };
  }
}

export function isScanError(err: unknown): err is ScanError {
  return err instanceof ScanError;
}

// Keeps the end of stderr, where a failing shell script prints its reason.
export function tail(text: string, maxChars = 2048): string {
  return text.length <= maxChars ? text : `…${text.slice(text.length - maxChars)}`;
}
