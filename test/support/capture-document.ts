// Builds format-v1 probe documents from the real captures in
// shared/fixtures/captures/<name>/ (read-only third-party data). Only files that
// exist are mapped; a section we have no capture for stays missing, which the
// parser reports as "not collected". Translations of non-probe outputs (uname -a,
// lsb_release, sbc-bench logs, a dmesg excerpt) are documented next to each one.
//
// Synthetic sections (a Cloud Hypervisor, virtiofsd or /dev/kvm that was never
// captured) are added only through withSyntheticStack(), and the document then
// lists them in an "x-synthetic" section, which the parser ignores.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type DocSection = { name: string; rc: number; body: string };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// The captures are vendored verbatim into test/fixtures/captures so a clone anywhere (CI, a laptop) can run the
// tests and the demo; test/unit/fixtures-verbatim.test.ts proves the copy equals shared/fixtures when present.
export function capturesDir(): string {
  return process.env.DAXBOARD_CAPTURES_DIR ?? path.resolve(repoRoot, "test/fixtures/captures");
}

export const SHARED_CAPTURES_DIR = path.resolve(repoRoot, "../shared/fixtures/captures");

/** Host captures (directories with labels.json); the cloud-hypervisor strings live apart. */
export function listCaptures(): string[] {
  const dir = capturesDir();
  return readdirSync(dir)
    .filter((n) => statSync(path.join(dir, n)).isDirectory() && existsSync(path.join(dir, n, "labels.json")))
    .sort();
}

export function readCaptureFile(captureName: string, file: string): string | null {
  const p = path.join(capturesDir(), captureName, file);
  return existsSync(p) ? readFileSync(p, "utf8") : null;
}

export function readLabels(captureName: string): Record<string, string> {
  return JSON.parse(readCaptureFile(captureName, "labels.json") ?? "{}") as Record<string, string>;
}

export function buildProbeDocument(token: string, sections: DocSection[], opts: { complete?: boolean } = {}): string {
  const out = [`daxboard-probe 1 boundary=${token}`];
  for (const s of sections) {
    out.push(`--${token} ${s.name} rc=${s.rc}`);
    const body = s.body.replace(/\n+$/, "");
    if (body) out.push(body);
  }
  if (opts.complete !== false) out.push(`--${token}--`);
  return out.join("\n") + "\n";
}

// `uname -a` = "-s -n -r -v -m -p -i -o"; -v has spaces, so -m is found from the end.
function fromUnameA(line: string): Partial<Record<string, string>> {
  const t = line.trim().split(/\s+/);
  if (t.length < 6) return {};
  const gnu = t[t.length - 1] === "GNU/Linux";
  const machineIndex = gnu ? t.length - 4 : t.length - 1;
  return { "kernel-release": t[2], "kernel-version": t.slice(3, machineIndex).join(" "), arch: t[machineIndex] };
}

// lsb_release -a → os-release keys (same facts, os-release spelling).
function fromLsbRelease(text: string): string {
  const kv: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) kv[m[1].trim()] = m[2].trim();
  }
  const out: string[] = [];
  if (kv["Distributor ID"]) out.push(`ID=${kv["Distributor ID"].toLowerCase()}`);
  if (kv.Description) out.push(`PRETTY_NAME="${kv.Description}"`);
  if (kv.Release) out.push(`VERSION_ID="${kv.Release}"`);
  if (kv.Codename) out.push(`VERSION_CODENAME=${kv.Codename}`);
  return out.join("\n");
}

// The probe's dmesg filter (probe.sh s_dmesg_kvm), applied to a captured excerpt.
const DMESG_FILTER =
  /IPA Size Limit|Hyp mode|HYP mode|VHE mode|Stage-2 Force Write-Back|GICv[234]|GIC-400|gic-400|Booting Linux on physical CPU|pcpu-alloc/;

type SbcBench = Partial<Record<string, string>>;

// sbc-bench logs: "Device Info:" is its DMI block (Manufacturer = sys_vendor, Product
// Name = product_name, Version, Family); "DT compat:" is the first string of
// /proc/device-tree/compatible; on device-tree systems the header's device name is
// /proc/device-tree/model (minus sbc-bench's mode word); "Kernel: REL/ARCH (virt)"
// carries uname -r, uname -m and systemd-detect-virt; the iostat header line
// "Linux REL (host) date _ARCH_ (N CPU)" carries uname -r and -m.
function fromSbcBench(log: string): SbcBench {
  const out: SbcBench = {};
  const dmi = /^Device Info:\n((?:\t.*\n?)+)/m.exec(log);
  if (dmi) {
    const map: Record<string, string> = {
      Manufacturer: "sys_vendor",
      "Product Name": "product_name",
      Version: "product_version",
      Family: "product_family",
    };
    const lines: string[] = [];
    for (const l of dmi[1].split("\n")) {
      const m = /^\t([^:]+):\s*(.*)$/.exec(l);
      if (m && map[m[1]]) lines.push(`${map[m[1]]}=${m[2].trim()}`);
    }
    if (lines.length) out.dmi = lines.join("\n");
  }
  const compat = /^DT compat:\s*(\S+)/m.exec(log);
  if (compat) {
    out["dt-compatible"] = compat[1];
    const header = /^sbc-bench v\S+ (.*?) \([A-Z][a-z]{2}, .*\)\s*$/m.exec(log);
    if (header) out["dt-model"] = header[1].replace(/\s+(extensive|review|-[a-zA-Z])$/, "").trim();
  }
  const kernel = /^\s*Kernel:\s*(\S+)\/(\S+)(?:\s+\((\w+)\))?/m.exec(log);
  if (kernel) {
    out["kernel-release"] = kernel[1];
    out.arch = kernel[2];
    if (kernel[3]) out.virt = `systemd-detect-virt=${kernel[3]}`;
  }
  const iostat = /^Linux (\S+) \(\S+\)\s+\S+\s+_(\w+)_\s+\((\d+) CPU\)/m.exec(log);
  if (iostat) {
    out["kernel-release"] ??= iostat[1];
    out.arch ??= iostat[2];
  }
  return out;
}

/** The sections a capture directory supports, in probe order. */
export function captureSections(captureName: string): DocSection[] {
  const got = new Map<string, string>();
  const set = (name: string, body: string | null | undefined) => {
    if (body !== null && body !== undefined && !got.has(name)) got.set(name, body);
  };
  const file = (f: string) => readCaptureFile(captureName, f);

  const uname = file("uname.txt");
  if (uname) for (const [k, v] of Object.entries(fromUnameA(uname))) set(k, v);
  const getconf = file("getconf-a-pagesize.txt");
  if (getconf) set("pagesize", /PAGESIZE\s+(\d+)/.exec(getconf)?.[1]);
  set("cpuinfo", file("cpuinfo.txt"));
  const lscpu = file("lscpu.txt");
  set("lscpu", lscpu);
  set("os-release", file("os-release.txt"));
  const lsb = file("lsb_release.txt");
  if (lsb) set("os-release", fromLsbRelease(lsb));
  const dmesg = file("dmesg.excerpt.txt");
  if (dmesg) {
    set(
      "dmesg-kvm",
      dmesg
        .split("\n")
        .filter((l) => DMESG_FILTER.test(l))
        .join("\n"),
    );
    // "ACPI: IORT 0x…" lines name the tables /sys/firmware/acpi/tables lists.
    const tables = [...new Set([...dmesg.matchAll(/ACPI: ([A-Z0-9]{4}) 0x/g)].map((m) => m[1]))];
    if (tables.length) set("acpi-tables", tables.join("\n"));
    set("kernel-release", /Linux version (\S+)/.exec(dmesg)?.[1]);
  }
  const sbc = file("sbc-bench-log.txt");
  if (sbc) for (const [k, v] of Object.entries(fromSbcBench(sbc))) set(k, v);
  // lscpu's Architecture is uname -m.
  if (lscpu) set("arch", /^Architecture:\s*(\S+)/m.exec(lscpu)?.[1]);

  const order = [
    "arch",
    "kernel-release",
    "kernel-version",
    "pagesize",
    "cpuinfo",
    "midr",
    "lscpu",
    "meminfo",
    "os-release",
    "interrupts",
    "dmi",
    "soc0",
    "acpi-tables",
    "dt-model",
    "dt-compatible",
    "dt-dma-coherent",
    "kvm",
    "dmesg-restrict",
    "dmesg-kvm",
    "kvm-ipa",
    "kernel-config",
    "thp",
    "virt",
    "ch",
    "ch-help",
    "virtiofsd",
    "user",
  ];
  return order.filter((n) => got.has(n)).map((name) => ({ name, rc: 0, body: got.get(name) as string }));
}

export function captureDocument(captureName: string, token = "capture0token"): string {
  return buildProbeDocument(token, captureSections(captureName));
}

// ---- synthetic stack sections -------------------------------------------------

export type SyntheticStack = {
  /** "v41.0.0", "v22.1", null = installed but version unreadable, "absent" = not installed */
  ch?: string | null | "absent";
  chPath?: string;
  chExtraLines?: string[]; // e.g. ["Migration Protocol Versions: 1.0"]
  chHelpDax?: boolean; // does --help's --fs entry offer dax=/cache_size=?
  virtiofsd?: Array<{ path: string; versionLine: string }>;
  kvm?: { present: boolean; readable?: boolean; writable?: boolean };
};

const FS_HELP_WITH_DAX =
  '      --fs <fs>...                     virtio-fs parameters "tag=<tag_name>,socket=<socket_path>,num_queues=<number_of_queues>,queue_size=<size_of_each_queue>,dax=on|off,cache_size=<DAX cache size: default 8Gib>,id=<device_id>"';
const FS_HELP_NO_DAX =
  '      --fs <fs>...                     virtio-fs parameters "tag=<tag_name>,socket=<socket_path>,num_queues=<number_of_queues>,queue_size=<size_of_each_queue>,id=<device_id>,pci_segment=<segment_id>"';

/** Sections for a stack that was not captured, in the shape probe.sh prints them. */
export function syntheticStackSections(opts: SyntheticStack): DocSection[] {
  const out: DocSection[] = [];
  if (opts.kvm) {
    const k = opts.kvm;
    out.push({
      name: "kvm",
      rc: 0,
      body: k.present
        ? `exists=yes\nreadable=${k.readable === false ? "no" : "yes"}\nwritable=${k.writable === false ? "no" : "yes"}`
        : "exists=no",
    });
  }
  if (opts.ch !== undefined) {
    if (opts.ch === "absent") {
      out.push(
        { name: "ch", rc: 0, body: "cloud-hypervisor: not found" },
        { name: "ch-help", rc: 0, body: "cloud-hypervisor: not found" },
      );
    } else {
      const p = opts.chPath ?? "/usr/local/bin/cloud-hypervisor";
      const version = opts.ch === null ? "cloud-hypervisor" : `cloud-hypervisor ${opts.ch}`;
      out.push({ name: "ch", rc: 0, body: [`path=${p}`, version, ...(opts.chExtraLines ?? [])].join("\n") });
      if (opts.chHelpDax !== undefined)
        out.push({ name: "ch-help", rc: 0, body: opts.chHelpDax ? FS_HELP_WITH_DAX : FS_HELP_NO_DAX });
    }
  }
  if (opts.virtiofsd) {
    out.push({
      name: "virtiofsd",
      rc: 0,
      body: opts.virtiofsd.length
        ? opts.virtiofsd.map((v) => `path=${v.path}\n${v.versionLine}`).join("\n")
        : "virtiofsd: not found",
    });
  }
  return out;
}

/** A capture plus synthetic stack sections; the document's x-synthetic section names them. */
export function withSyntheticStack(captureName: string, opts: SyntheticStack, token = "capture0token"): string {
  const synthetic = syntheticStackSections(opts);
  const names = new Set(synthetic.map((s) => s.name));
  const captured = captureSections(captureName).filter((s) => !names.has(s.name));
  const marker: DocSection = { name: "x-synthetic", rc: 0, body: `synthetic, not captured: ${[...names].join(" ")}` };
  return buildProbeDocument(token, [...captured, ...synthetic, marker]);
}
