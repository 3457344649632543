// Kata Containers on the host (DOMAIN.md §7 "Kata on the host"): say what Kata would do with Cloud Hypervisor for
// paths A and B, quoting the configuration lines the probe read. Informational: Kata does not decide a path that
// runs CH directly.
import type { KataConfig, KataInfo, SemVer } from "../../probe/types";
import { check, prose } from "../check";
import { SOURCES } from "../sources";
import type { Check, Evidence } from "../types";
import { pathBase, type PathContext } from "./path-check";

const semver = (v: SemVer) => `${v.major}.${v.minor}${v.patch === null ? "" : `.${v.patch}`}`;
const kataName = (k: Extract<KataInfo, { found: true }>) => (k.version ? `Kata ${semver(k.version)}` : "Kata");

/** The Kata install, or null when Kata is absent or was not checked (then no Kata check is shown). */
export function installedKata(ctx: PathContext): Extract<KataInfo, { found: true }> | null {
  const k = ctx.facts.kata;
  return k.known && k.value.found ? k.value : null;
}

const cacheSizeLine = (c: KataConfig) =>
  c.lines.find((l) => /^virtio_fs_cache_size\b/.test(l)) ??
  (c.virtioFsCacheSize === null ? null : `virtio_fs_cache_size = ${c.virtioFsCacheSize}`);

// Kata's CH driver sets `enableDax := false` whatever the configuration says (clh.go), so the virtio-fs window size
// in configuration-clh.toml has no effect with CH (default 0).
export function ruleKataVirtiofs(ctx: PathContext): Check | null {
  const kata = installedKata(ctx);
  if (!kata) return null;
  const clh = kata.configs.filter((c) => c.hypervisor === "clh");
  const quoted = clh.map((c) => ({ path: c.path, line: cacheSizeLine(c) }));
  const evidence: Evidence[] = quoted.map((q) => ({
    fact: "kata.virtio_fs_cache_size",
    value: q.line,
    section: `kata ${q.path}`,
  }));
  const read = quoted.find((q) => q.line !== null);
  const what = read
    ? `"${read.line}" in ${read.path} has no effect with CH`
    : clh.length
      ? `no virtio_fs_cache_size line in ${clh.map((c) => c.path).join(", ")} (default 0), and none would take effect`
      : "no configuration-clh.toml was read";
  const qemuNote = kata.configs.some((c) => c.hypervisor === "qemu")
    ? "; Kata 3.27+ also disables DAX for QEMU on arm64 (commit 48aa077e8c)"
    : "";
  return check({
    ...pathBase("virtiofs.kata", "Kata Containers", SOURCES.kataClh, evidence),
    status: "INFO",
    reason: prose`${kataName(kata)} is installed: its Cloud Hypervisor driver hard-codes DAX off
      (clh.go enableDax := false), so ${what}${qemuNote}`,
  });
}

const KATA_DROPPED_PMEM = { major: 3, minor: 27 }; // Kata 3.27.0 (2026-02), commit e17f96251d

const atLeast = (v: SemVer, m: { major: number; minor: number }) =>
  v.major > m.major || (v.major === m.major && v.minor >= m.minor);

// Kata 3.27 stopped booting CH guests from a pmem image after GHSA-wwj6-vghv-5p64; older Kata still does.
export function ruleKataPmem(ctx: PathContext): Check | null {
  const kata = installedKata(ctx);
  if (!kata) return null;
  const image = kata.configs.find((c) => c.hypervisor === "clh" && c.image !== null);
  const evidence: Evidence[] = [
    { fact: "kata.version", value: kata.versionText, section: "kata" },
    ...(image ? [{ fact: "kata.image", value: image.image, section: `kata ${image.path}` }] : []),
  ];
  const base = pathBase("pmem.kata", "Kata Containers", SOURCES.kataNoPmem, evidence);
  if (kata.version && atLeast(kata.version, KATA_DROPPED_PMEM))
    return check({
      ...base,
      status: "INFO",
      reason: prose`${kataName(kata)} no longer uses virtio-pmem with Cloud Hypervisor (since 3.27, commit
        e17f96251d): this path is for CH run directly or by your own tooling, not through Kata`,
    });
  if (kata.version)
    return check({
      ...base,
      status: "INFO",
      reason: prose`${kataName(kata)} still boots CH guests from a pmem image${image ? ` (${image.image})` : ""},
        the setup GHSA-wwj6-vghv-5p64 was about; Kata 3.27+ stopped doing so`,
      remediation: "upgrade Kata to 3.27 or later",
      source: SOURCES.pmemAdvisory,
    });
  return check({
    ...base,
    status: "INFO",
    reason: prose`Kata is installed (version unreadable): Kata 3.27+ no longer uses virtio-pmem with Cloud
      Hypervisor (commit e17f96251d); older releases boot CH guests from a pmem image`,
  });
}
