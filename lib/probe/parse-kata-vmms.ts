// Kata Containers and the other VMMs on the host (DOMAIN.md §7 D and "Kata on the host"), from the sections
// `kata` and `vmms`. A document without them leaves both facts unknown "not-collected".
import type { ProbeDocument } from "./document";
import { known, readSection, unknown } from "./fact";
import type { Fact, KataConfig, KataInfo, OtherVmm, OtherVmmId, SemVer } from "./types";

const MAX_LINES = 4000;
const MAX_CONFIGS = 12;
const MAX_CONFIG_LINES = 40;
const MAX_VMMS = 16;
const LINE_CAP = 300;

const semver = (m: RegExpExecArray): SemVer => ({
  major: Number(m[1]),
  minor: Number(m[2]),
  patch: m[3] === undefined ? null : Number(m[3]),
});

/** "kata-runtime  : 3.27.0", "kata-ctl version 3.2.0" → 3.27.0; null when the text names no version. */
export function parseKataVersion(line: string): SemVer | null {
  const m = /^kata-(?:runtime|ctl)\b[\s:a-z]{0,20}v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?/i.exec(line.trim());
  return m ? semver(m) : null;
}

// The probe names configuration files as installed: configuration-clh.toml, configuration-qemu-nvidia-gpu.toml …
function hypervisorOf(path: string): KataConfig["hypervisor"] {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (base.startsWith("configuration-clh")) return "clh";
  if (base.startsWith("configuration-qemu")) return "qemu";
  return "other";
}

// A TOML value as written: a quoted string up to its closing quote, otherwise the bare word before a comment.
function tomlValue(raw: string): string {
  const v = raw.trim();
  if (v.startsWith('"')) {
    const end = v.indexOf('"', 1);
    return end < 0 ? v.slice(1) : v.slice(1, end);
  }
  const hash = v.indexOf("#");
  return (hash < 0 ? v : v.slice(0, hash)).trim();
}

function newConfig(path: string): KataConfig {
  return {
    path,
    hypervisor: hypervisorOf(path),
    sharedFs: null,
    virtioFsCacheSize: null,
    virtioFsCache: null,
    image: null,
    initrd: null,
    lines: [],
  };
}

function addConfigLine(config: KataConfig, line: string): void {
  if (config.lines.length >= MAX_CONFIG_LINES) return;
  const eq = line.indexOf("=");
  if (eq <= 0) return;
  config.lines.push(line);
  const key = line.slice(0, eq).trim();
  const value = tomlValue(line.slice(eq + 1)).slice(0, LINE_CAP);
  if (key === "shared_fs") config.sharedFs ??= value;
  else if (key === "virtio_fs_cache") config.virtioFsCache ??= value;
  else if (key === "image") config.image ??= value;
  else if (key === "initrd") config.initrd ??= value;
  else if (key === "virtio_fs_cache_size" && config.virtioFsCacheSize === null && /^\d{1,9}$/.test(value))
    config.virtioFsCacheSize = Number(value);
}

export function parseKataText(text: string): KataInfo | null {
  let path: string | null = null;
  let runtimeSeen = false;
  const versionLines: string[] = [];
  const configs: KataConfig[] = [];
  for (const raw of text.split("\n", MAX_LINES)) {
    const line = raw.trim().slice(0, LINE_CAP);
    if (line.startsWith("config=")) {
      if (configs.length >= MAX_CONFIGS) break;
      configs.push(newConfig(line.slice("config=".length)));
    } else if (configs.length > 0) {
      addConfigLine(configs[configs.length - 1], line);
    } else if (line.startsWith("runtime=") && !runtimeSeen) {
      runtimeSeen = true;
      path = line.slice("runtime=".length) || null;
    } else if (/^kata-runtime: not found$/.test(line)) {
      runtimeSeen = true;
    } else if (path && line && versionLines.length < 4) {
      versionLines.push(line);
    }
  }
  if (!runtimeSeen && configs.length === 0) return null;
  if (!path && configs.length === 0) return { found: false };
  const versionLine = versionLines.find((l) => parseKataVersion(l)) ?? versionLines[0] ?? null;
  return {
    found: true,
    path,
    versionText: versionLine,
    version: versionLine ? parseKataVersion(versionLine) : null,
    configs,
  };
}

export function parseKata(doc: ProbeDocument): Fact<KataInfo> {
  const s = readSection(doc, "kata");
  if (!s.ok) return s.fact;
  const kata = parseKataText(s.body);
  return kata ? known(kata, s.name) : unknown("unparseable", "no runtime= or config= line", s.name);
}

const VMM_IDS: readonly OtherVmmId[] = ["firecracker", "libkrun", "crosvm", "qemu"];

// First lines of --version: "Firecracker v1.14.0", "QEMU emulator version 9.2.0 (Debian …)", "crosvm 0.1.0".
// krun is crun built with libkrun and prints crun's version, not libkrun's: no version for it.
const VERSION_RES: Record<OtherVmmId, RegExp | null> = {
  firecracker: /^Firecracker v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?/,
  qemu: /^QEMU emulator version (\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?/,
  crosvm: /^crosvm v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?/,
  libkrun: null,
};

export function parseVmmVersion(id: OtherVmmId, line: string): SemVer | null {
  const re = VERSION_RES[id];
  const m = re ? re.exec(line.trim()) : null;
  return m ? semver(m) : null;
}

const VMM_LINE = /^vmm=(\S{1,20}) path=(.+)$/;

export function parseVmmsText(text: string): OtherVmm[] | null {
  const out: OtherVmm[] = [];
  let current: OtherVmm | null = null;
  let sawNone = false;
  for (const raw of text.split("\n", MAX_LINES)) {
    const line = raw.trim().slice(0, LINE_CAP);
    const m = line.startsWith("vmm=") ? VMM_LINE.exec(line) : null;
    if (m) {
      const id = VMM_IDS.find((v) => v === m[1]);
      current = null;
      if (!id || out.some((v) => v.id === id)) continue;
      if (out.length >= MAX_VMMS) break;
      current = { id, path: m[2].trim(), versionText: null, version: null };
      out.push(current);
    } else if (current && line && current.versionText === null) {
      current.versionText = line;
      current.version = parseVmmVersion(current.id, line);
    } else if (line === "none" && out.length === 0) {
      sawNone = true;
    }
  }
  return out.length > 0 || sawNone ? out : null;
}

export function parseVmms(doc: ProbeDocument): Fact<OtherVmm[]> {
  const s = readSection(doc, "vmms");
  if (!s.ok) return s.fact;
  const vmms = parseVmmsText(s.body);
  return vmms ? known(vmms, s.name) : unknown("unparseable", "no vmm= line and no 'none'", s.name);
}
