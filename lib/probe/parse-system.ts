// Arch, kernel, page size, memory, OS, kernel config, THP and user facts.
import type { ProbeDocument } from "./document";
import { firstLine, keyValues, known, readSection, unknown } from "./fact";
import type { Fact, KernelVersion, OsInfo } from "./types";

const PAGE_SIZES = new Set([4096, 16384, 65536]);

export function parseArch(doc: ProbeDocument): Fact<string> {
  const s = readSection(doc, "arch");
  if (!s.ok) return archFromCpuinfo(doc) ?? s.fact;
  const v = firstLine(s.body);
  return /^[A-Za-z0-9_]{2,32}$/.test(v) ? known(v, s.name) : unknown("unparseable", `arch '${v.slice(0, 40)}'`, s.name);
}

// Without `uname -m`, an arm64 kernel still shows itself in cpuinfo: it prints
// "CPU architecture: 8" with native hwcaps ("asimd"), while a 32-bit ARM kernel prints
// architecture 7 and "neon"/"vfp" hwcaps (arch/arm64/kernel/cpuinfo.c vs
// arch/arm/kernel/setup.c).
function archFromCpuinfo(doc: ProbeDocument): Fact<string> | null {
  const c = readSection(doc, "cpuinfo");
  if (!c.ok) return null;
  const fields = c.body.split("\n").map(colonField);
  const arch8 = fields.some((f) => f?.key === "CPU architecture" && f.value === "8");
  const native = fields.some((f) => f?.key === "Features" && /\basimd\b/.test(f.value));
  return arch8 && native ? known("aarch64", c.name, "medium", "arm64 hwcaps and CPU architecture 8 in cpuinfo") : null;
}

export function parseKernelRelease(doc: ProbeDocument): Fact<string> {
  const s = readSection(doc, "kernel-release");
  if (!s.ok) return s.fact;
  const v = firstLine(s.body);
  // `\d+\.\d+\S*$` would backtrack quadratically over a long run of digits (\d+ and \S* overlap): check the
  // length first, and let \S* take everything after the first minor digit.
  return v.length <= 200 && /^\d+\.\d\S*$/.test(v)
    ? known(v, s.name)
    : unknown("unparseable", `kernel release '${v.slice(0, 60)}'`, s.name);
}

export function kernelVersionFromRelease(release: Fact<string>): Fact<KernelVersion> {
  if (!release.known) return release;
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.value);
  if (!m) return unknown("unparseable", `kernel release '${release.value}'`, release.source);
  return known(
    { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? null : Number(m[3]) },
    release.source,
  );
}

export function parseKernelBuild(doc: ProbeDocument): Fact<string> {
  const s = readSection(doc, "kernel-version");
  if (!s.ok) return s.fact;
  const v = firstLine(s.body).slice(0, 300);
  return v ? known(v, s.name) : unknown("unparseable", "empty uname -v", s.name);
}

export function parseKernelConfig(doc: ProbeDocument): Fact<Record<string, string>> {
  const s = readSection(doc, "kernel-config");
  if (!s.ok) return s.fact;
  const cfg = parseKconfigText(s.body);
  return Object.keys(cfg).length > 0 ? known(cfg, s.name) : unknown("unparseable", "no CONFIG_ lines", s.name);
}

/** Kconfig text → { CONFIG_X: "y" | "m" | "n" | value }; "# CONFIG_X is not set" → "n". */
export function parseKconfigText(text: string): Record<string, string> {
  const cfg: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    let m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (m) {
      cfg[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
      continue;
    }
    m = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line);
    if (m) cfg[m[1]] = "n";
  }
  return cfg;
}

function pageSizeFromConfig(cfg: Record<string, string>): number | null {
  if (cfg.CONFIG_ARM64_64K_PAGES === "y") return 65536;
  if (cfg.CONFIG_ARM64_16K_PAGES === "y") return 16384;
  if (cfg.CONFIG_ARM64_4K_PAGES === "y") return 4096;
  return null;
}

// Release-string hints, DOMAIN.md §3: RHEL "+64k", Ubuntu "-generic-64k", Raspberry
// Pi "v8_16k", Asahi = 16K; RHEL 8 family / Anolis 8 default to 64K; Ubuntu
// "-generic"/"-aws" and Debian default to 4K. Low confidence: a hint, not a reading.
function pageSizeFromRelease(release: string, osId: string | null): { size: number; why: string } | null {
  if (/[+-]64k\b/i.test(release)) return { size: 65536, why: "64K kernel flavour in the release name" };
  if (/_16k\b|-16k\b/i.test(release)) return { size: 16384, why: "16K kernel flavour in the release name" };
  if (/asahi/i.test(release)) return { size: 16384, why: "Asahi Linux kernels use 16K pages" };
  if (/\.(el8|an8)[._]/.test(release) || /\.(el8|an8)$/.test(release))
    return { size: 65536, why: "RHEL 8 family kernels default to 64K pages" };
  if (/-(generic|aws|azure|gcp|oracle|lowlatency)$/.test(release) && (osId === null || osId === "ubuntu"))
    return { size: 4096, why: "Ubuntu arm64 kernels default to 4K pages" };
  if (/-arm64$/.test(release) && (osId === null || osId === "debian"))
    return { size: 4096, why: "Debian has no 64K arm64 kernel" };
  return null;
}

export function parsePageSize(
  doc: ProbeDocument,
  arch: Fact<string>,
  release: Fact<string>,
  config: Fact<Record<string, string>>,
  os: Fact<OsInfo>,
  warnings: string[],
): Fact<number> {
  const cfgSize = config.known ? pageSizeFromConfig(config.value) : null;
  const s = readSection(doc, "pagesize");
  if (s.ok) {
    const n = Number(firstLine(s.body));
    if (PAGE_SIZES.has(n)) {
      if (cfgSize !== null && cfgSize !== n) {
        warnings.push(`getconf PAGESIZE ${n} disagrees with the kernel config (${cfgSize}); using getconf`);
        return known(n, s.name, "medium", `kernel config says ${cfgSize}`);
      }
      return cfgSize === n
        ? known(n, "pagesize+kernel-config", "high", "confirmed by kernel config")
        : known(n, s.name);
    }
  }
  if (cfgSize !== null) return known(cfgSize, "kernel-config");
  if (arch.known && arch.value === "x86_64") return known(4096, arch.source, "high", "x86-64 base pages are 4 KiB");
  const dm = readSection(doc, "dmesg-kvm");
  if (dm.ok && arch.known && arch.value === "aarch64") {
    // arm64 sets up the percpu areas with atom_size = PAGE_SIZE, so pcpu-alloc's
    // "alloc=N*<atom>" prints the page size (mm/percpu.c, drivers/base/arch_numa.c).
    const atom = percpuAtomSize(dm.body);
    if (atom !== null && PAGE_SIZES.has(atom)) return known(atom, dm.name, "medium", "percpu atom size in dmesg");
  }
  if (release.known) {
    const hint = pageSizeFromRelease(release.value, os.known ? os.value.id : null);
    if (hint) return known(hint.size, release.source, "low", hint.why);
  }
  if (!s.ok) return s.fact;
  return unknown("unparseable", `page size '${firstLine(s.body).slice(0, 40)}'`, "pagesize");
}

// The last "alloc=N*<atom>" on the first pcpu-alloc line that has one. Line by line: the unanchored
// /pcpu-alloc:.*alloc=…/ rescans to the end of the line from every "pcpu-alloc:" on it (quadratic on one long line).
function percpuAtomSize(dmesg: string): number | null {
  for (const line of dmesg.split("\n")) {
    const at = line.indexOf("pcpu-alloc:");
    if (at < 0) continue;
    const allocs = [...line.slice(at).matchAll(/alloc=\d+\*(\d+)/g)];
    if (allocs.length) return Number(allocs[allocs.length - 1][1]);
  }
  return null;
}

// "Key : value" of one line, split at the first colon (cpuinfo, meminfo).
function colonField(line: string): { key: string; value: string } | null {
  const i = line.indexOf(":");
  return i < 0 ? null : { key: line.slice(0, i).trim(), value: line.slice(i + 1).trim() };
}

export function parseMeminfo(doc: ProbeDocument): Fact<number> {
  const s = readSection(doc, "meminfo");
  if (!s.ok) return s.fact;
  const total = s.body
    .split("\n")
    .map(colonField)
    .find((f) => f?.key === "MemTotal");
  const m = total ? /^(\d+)\s*kB/.exec(total.value) : null;
  return m ? known(Number(m[1]), s.name) : unknown("unparseable", "no MemTotal line", s.name);
}

export function parseOsRelease(doc: ProbeDocument): Fact<OsInfo> {
  const s = readSection(doc, "os-release");
  if (!s.ok) return s.fact;
  const kv = keyValues(s.body);
  const unq = (v: string | undefined) => (v === undefined ? null : v.replace(/^["'](.*)["']$/, "$1").slice(0, 200));
  const info: OsInfo = {
    id: unq(kv.ID),
    versionId: unq(kv.VERSION_ID),
    prettyName: unq(kv.PRETTY_NAME) ?? unq(kv.NAME),
  };
  return info.id || info.prettyName ? known(info, s.name) : unknown("unparseable", "no ID or PRETTY_NAME", s.name);
}

export function parseThp(doc: ProbeDocument): Fact<Record<string, string>> {
  const s = readSection(doc, "thp");
  if (!s.ok) return s.fact;
  const kv = keyValues(s.body);
  return Object.keys(kv).length ? known(kv, s.name) : unknown("unparseable", "no name=value lines", s.name);
}

export function parseUser(doc: ProbeDocument): Fact<string> {
  const s = readSection(doc, "user");
  if (!s.ok) return s.fact;
  const v = firstLine(s.body);
  return /^uid=/.test(v) ? known(v.slice(0, 500), s.name) : unknown("unparseable", "not `id` output", s.name);
}
