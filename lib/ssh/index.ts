// The SSH layer's public surface: lib/scan imports from here only.
export { runProbe } from "./run-probe";
export { probeCommand, isProbeCommand } from "./probe-command";
export { ERROR_CLASSES, ERROR_CLASS_NAMES, ScanError, isScanError } from "./errors";
export type { ErrorClass, ErrorClassInfo, ScanErrorDetails, ServerAlgorithms, HostRole } from "./errors";
export { fingerprintOf, algorithmOf, describeHostKey, isSha256Fingerprint, normalizeFingerprint } from "./host-key";
export type { SeenHostKey } from "./host-key";
export { DEFAULT_LIMITS } from "./types";
export type { SshAuth, SshEndpoint, SshTarget, RunProbeOptions, ProbeResult, ObservedHostKey } from "./types";
