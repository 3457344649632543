import { CORE_PATH_IDS, type PathId, type PathVerdict } from "../readiness/types";
import type { ExportBatchRow } from "./read-export-batches";

// One host of the compatibility export, typed (JSON export); the CSV flattens the same object.
export type ExportRow = {
  name: string;
  address: string;
  port: number;
  user: string;
  tags: string[];
  verdict: string; // a Verdict, or "never" for a host never scanned
  bestPath: string | null; // the first zero-copy path ready, or null (none, or never scanned)
  paths: Partial<Record<PathId, PathVerdict>>; // every path the assessment judged, other VMMs included
  platformClass: string | null;
  product: string | null;
  cores: Array<{ core: string; count: number | null }>;
  cpuCount: number | null;
  arch: string | null;
  kernel: string | null;
  pageSize: number | null;
  ipaBits: number | null;
  kvm: { present: boolean; readable: boolean | null; writable: boolean | null } | null;
  gic: number | null;
  chVersion: string | null; // "none" when no Cloud Hypervisor is installed
  chDax: boolean | null; // the binary's --help offers dax=
  virtiofsd: Array<{ path: string; flavour: string; version: string | null }>;
  cacheSizeBytes: number | null;
  cacheSize: string | null;
  failingChecks: string[];
  warningChecks: string[];
  lastScannedAt: string | null; // ISO 8601 UTC
  scanStatus: string | null;
  lastErrorClass: string | null;
  stale: boolean;
};

export function toExportRow({ host, scan }: ExportBatchRow): ExportRow {
  const f = scan?.facts ?? null;
  const ch = f?.cloudHypervisor ?? null;
  return {
    name: host.name,
    address: host.address,
    port: host.port,
    user: host.username,
    tags: host.tags,
    verdict: host.verdict ?? "never",
    bestPath: scan?.bestPath ?? null,
    paths: scan?.paths ?? {},
    platformClass: host.platformClass,
    product: host.product,
    cores: (f?.cpus ?? []).map((c) => ({ core: c.core ?? `${c.implementer}/${c.part ?? "?"}`, count: c.count })),
    cpuCount: f?.cpuCount ?? null,
    arch: f?.arch ?? null,
    kernel: f?.kernelRelease ?? null,
    pageSize: f?.pageSize ?? null,
    ipaBits: f?.ipaBits ?? null,
    kvm: f?.kvm ?? null,
    gic: f?.gic ?? null,
    chVersion: ch ? (ch.found ? (ch.version ?? "unknown") : "none") : null,
    chDax: ch?.found ? ch.daxOption : null,
    virtiofsd: f?.virtiofsd ?? [],
    cacheSizeBytes: scan?.cacheBytes ?? null,
    cacheSize: scan?.cacheHuman ?? null,
    failingChecks: scan?.failing ?? [],
    warningChecks: scan?.warning ?? [],
    lastScannedAt: host.lastScanAt?.toISOString() ?? null,
    scanStatus: host.lastScanStatus,
    lastErrorClass: host.lastErrorClass,
    stale: host.stale,
  };
}

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"); a leading
// apostrophe makes them show it as text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

const kvmText = (k: ExportRow["kvm"]) =>
  k === null ? "" : !k.present ? "absent" : k.writable ? "usable" : k.writable === false ? "no access" : "present";
const yesNo = (b: boolean | null) => (b === null ? "" : b ? "yes" : "no");

// "none" for a scanned host with no path ready, empty for one never scanned.
const bestPathText = (r: ExportRow) => r.bestPath ?? (r.verdict === "never" ? "" : "none");

export const CSV_COLUMNS = [
  "name",
  "address",
  "port",
  "user",
  "tags",
  "verdict",
  "best_path",
  "path_virtiofs_dax",
  "path_pmem_dax",
  "path_ksm",
  "platform_class",
  "product",
  "cores",
  "arch",
  "kernel",
  "page_size",
  "ipa_bits",
  "kvm",
  "gic",
  "ch_version",
  "ch_dax",
  "virtiofsd",
  "cache_size_bytes",
  "cache_size",
  "failing_checks",
  "warning_checks",
  "last_scanned",
  "scan_status",
  "stale",
] as const;

// The CSV cells of a row, every text cell neutralized; lists are space-separated (tags and check ids hold no spaces).
export function toCsvRecord(r: ExportRow): string[] {
  const cells = [
    r.name,
    r.address,
    String(r.port),
    r.user,
    r.tags.join(" "),
    r.verdict,
    bestPathText(r),
    ...CORE_PATH_IDS.map((id) => r.paths[id] ?? ""),
    r.platformClass ?? "",
    r.product ?? "",
    r.cores.map((c) => (c.count === null ? c.core : `${c.core} x${c.count}`)).join(" + "),
    r.arch ?? "",
    r.kernel ?? "",
    r.pageSize === null ? "" : String(r.pageSize),
    r.ipaBits === null ? "" : String(r.ipaBits),
    kvmText(r.kvm),
    r.gic === null ? "" : `v${r.gic}`,
    r.chVersion ?? "",
    yesNo(r.chDax),
    r.virtiofsd.map((d) => `${d.flavour} ${d.version ?? "?"} ${d.path}`).join("; "),
    r.cacheSizeBytes === null ? "" : String(r.cacheSizeBytes),
    r.cacheSize ?? "",
    r.failingChecks.join(" "),
    r.warningChecks.join(" "),
    r.lastScannedAt ?? "",
    r.scanStatus === "failed" && r.lastErrorClass ? `failed (${r.lastErrorClass})` : (r.scanStatus ?? "never"),
    r.stale ? "true" : "false",
  ];
  return cells.map(neutralizeFormula);
}
