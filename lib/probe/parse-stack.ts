// The installed VMM and daemon: Cloud Hypervisor and virtiofsd (DOMAIN.md §3).
import type { ProbeDocument } from "./document";
import { known, readSection, unknown } from "./fact";
import type { ChVersion, CloudHypervisorInfo, Fact, VirtiofsdFlavour, VirtiofsdInfo } from "./types";

// "cloud-hypervisor v41.0.0", "v36.0-83-g77f4e35b-dirty", "v41.0.0-41.0.120.g4ea35aaf"
// (vendor build), "v53.0" followed by a "Migration Protocol Versions" line: only the
// first version-looking line counts; the suffix is kept verbatim.
const CH_VERSION_RE = /^\s*cloud-hypervisor\s+v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(\S*)\s*$/;

export function parseChVersion(text: string): ChVersion | null {
  for (const line of text.split("\n")) {
    const m = CH_VERSION_RE.exec(line);
    if (m) {
      return {
        major: Number(m[1]),
        minor: Number(m[2]),
        patch: m[3] === undefined ? null : Number(m[3]),
        suffix: m[4] ? m[4] : null,
      };
    }
  }
  return null;
}

/** The --fs entry of --help: clap wraps long values, so continuation lines are joined first. */
export function parseChHelp(text: string): { daxOption: boolean; cacheSizeOption: boolean } {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^\s*(-\w,\s*)?--fs\b/.test(l));
  let fsText = text;
  if (start >= 0) {
    const parts = [lines[start]];
    for (let i = start + 1; i < lines.length; i++) {
      if (/^\s*(-\w,\s*)?--?[A-Za-z]/.test(lines[i])) break;
      parts.push(lines[i].trim());
    }
    fsText = parts.join("");
  }
  return { daxOption: /\bdax=/.test(fsText), cacheSizeOption: /\bcache_size=/.test(fsText) };
}

export function parseCloudHypervisor(doc: ProbeDocument, warnings: string[]): Fact<CloudHypervisorInfo> {
  const s = readSection(doc, "ch");
  if (!s.ok) return s.fact;
  const body = s.body;
  if (/cloud-hypervisor: not found/.test(body) && !/^path=/m.test(body)) return known({ found: false }, s.name);
  const paths = [...body.matchAll(/^path=(.+)$/gm)].slice(0, 16).map((m) => m[1].trim().slice(0, 300));
  // With several installs the first path (the caller's PATH order) is what runs.
  const firstBlock = body.split(/^path=.*$/m)[1] ?? body;
  const versionLine =
    firstBlock
      .split("\n")
      .find((l) => /cloud-hypervisor/.test(l))
      ?.trim() ?? null;
  const version = parseChVersion(firstBlock);
  if (!version)
    warnings.push(`cloud-hypervisor version not parseable: '${(versionLine ?? firstBlock.trim()).slice(0, 80)}'`);
  if (paths.length > 1) warnings.push(`several cloud-hypervisor binaries: ${paths.join(", ")}; judging the first`);
  let daxOption: boolean | null = null;
  let cacheSizeOption: boolean | null = null;
  const help = readSection(doc, "ch-help");
  if (help.ok && /--fs\b|virtio-fs/.test(help.body)) {
    const h = parseChHelp(help.body);
    daxOption = h.daxOption;
    cacheSizeOption = h.cacheSizeOption;
  }
  const source = help.ok && daxOption !== null ? "ch+ch-help" : s.name;
  return known(
    {
      found: true,
      path: paths[0] ?? null,
      versionText: versionLine ? versionLine.slice(0, 200) : null,
      version,
      daxOption,
      cacheSizeOption,
    },
    source,
    version ? "high" : "medium",
  );
}

// Flavours, DOMAIN.md §3: "virtiofsd backend 1.x" (Rust 1.0–1.7), "virtiofsd 1.x"
// (Rust 1.8+), "virtiofsd version <qemu version>" or "using FUSE kernel interface
// version 7.x" (the C daemon shipped with QEMU until 8.0).
export function parseVirtiofsdVersion(text: string): Pick<VirtiofsdInfo, "flavour" | "version" | "versionText"> {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const first = lines[0] ?? null;
  const ver = (m: RegExpExecArray) => ({
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? null : Number(m[3]),
  });
  let flavour: VirtiofsdFlavour = "unknown";
  let version: VirtiofsdInfo["version"] = null;
  let m: RegExpExecArray | null;
  if (first && (m = /^virtiofsd version (\d+)\.(\d+)(?:\.(\d+))?/.exec(first))) {
    flavour = "c-qemu";
    version = ver(m);
  } else if (lines.some((l) => /using FUSE kernel interface version/.test(l))) {
    flavour = "c-qemu";
  } else if (first && (m = /^virtiofsd(?: backend)? v?(\d+)\.(\d+)(?:\.(\d+))?\b/.exec(first))) {
    flavour = "rust";
    version = ver(m);
  }
  return { flavour, version, versionText: first ? first.slice(0, 200) : null };
}

export function parseVirtiofsd(doc: ProbeDocument): Fact<VirtiofsdInfo[]> {
  const s = readSection(doc, "virtiofsd");
  if (!s.ok) return s.fact;
  const out: VirtiofsdInfo[] = [];
  const blocks = s.body.split(/^(?=path=)/m);
  for (const block of blocks) {
    const m = /^path=(.+)$/m.exec(block);
    if (!m) continue;
    const rest = block.slice(block.indexOf("\n") + 1);
    out.push({ path: m[1].trim().slice(0, 300), ...parseVirtiofsdVersion(block.startsWith("path=") ? rest : block) });
    if (out.length >= 16) break;
  }
  if (out.length === 0 && !/not found/.test(s.body)) return unknown("unparseable", "no path= lines", s.name);
  return known(out, s.name);
}
