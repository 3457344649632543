// The probe parsers read up to 1 MiB of text a hostile host controls (the scan's output cap, the upload's body
// cap). No parser may take time that grows faster than the text: each adversarial body, in each section, must
// parse within a fixed multiple of what a plain `split("\n")` of the same text costs, measured here on the same
// machine (issue 12 item 4). A quadratic regex takes hours on 1 MiB, so each case runs on 128 KiB first, where a
// regression fails the bound in a second or two instead of hanging the suite.
import { describe, expect, it } from "vitest";
import { PROBE_SECTIONS } from "@/lib/probe/constants";
import { parseProbeDocument } from "@/lib/probe/document";
import { colonFields, firstLine, keyValues } from "@/lib/probe/fact";
import { cpuPairsFromCpuinfo, pairFromMidr } from "@/lib/probe/parse-cpu";
import { parseChHelp, parseChVersion, parseVirtiofsdVersion } from "@/lib/probe/parse-stack";
import { parseKataText, parseVmmsText } from "@/lib/probe/parse-kata-vmms";
import { parseKconfigText } from "@/lib/probe/parse-system";
import { parseChOptions } from "@/lib/probe/parse-zero-copy";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness";
import { deriveFromProbe } from "@/lib/scan/derive";
import { isScanError } from "@/lib/ssh/errors";

const MIB = 1 << 20;
const SIZES = [128 * 1024, MIB];
// Linear parsers here cost 5–30 plain splits of their input; a quadratic one, thousands on 64 KiB (the regexes this
// replaced took 11–31 s at 128 KiB). The bound sits far from both: a CI machine busy with integration tests in
// parallel must never trip it (a 250 ms floor once did), while a super-linear parser still takes many times longer.
const RATIO = 500;
const FLOOR_MS = 2000;

// `sections`: where a shape aimed at particular parsers goes (the generic shapes go in every section; repeating
// the aimed ones everywhere would only add seconds to the suite). Default: every section.
type Pattern = { prefix?: string; unit: string; suffix?: string; sections?: string[] };

const CPU = "processor : 0\nCPU implementer : 0x41\nCPU part : 0xd0c\n";

// Generic shapes (whitespace, line and separator runs) and the shapes that made this parser's regexes backtrack.
const PATTERNS: Record<string, Pattern> = {
  spaces: { unit: " " },
  newlines: { unit: "\n" },
  "tab space newline": { unit: "\t \n" },
  "carriage returns": { unit: "\r" },
  "U+2028 line separators": { unit: "\u2028" },
  "no-break spaces": { unit: "\u00a0" },
  "one long line": { unit: "a" },
  "key: value lines": { unit: "CPU implementer\t: 0x41\nCPU part : 0xd0c\n" },
  "key=value lines": { unit: "sys_vendor=x\n" },
  "colon run": { unit: ":" },
  "equals run": { unit: "=" },
  "ellipsis lines": { prefix: CPU, unit: "  ...  \n\n", sections: ["cpuinfo"] },
  // cpuinfo is checked for an abridging "..." line only once it has named a CPU.
  "a CPU, then blank lines": { prefix: CPU, unit: "\n", suffix: "x", sections: ["cpuinfo"] },
  "a CPU, then whitespace lines": { prefix: CPU, unit: " \t\n", suffix: "x", sections: ["cpuinfo"] },
  "dash run": { unit: "-" },
  "section markers": { unit: "--tok cpuinfo rc=0\n", sections: ["cpuinfo"] },
  "unreadable section headers": { unit: "--tok \n", sections: ["cpuinfo"] },
  "path= lines": { unit: "path=/usr/bin/x\n" },
  "long release digits": {
    prefix: "6.",
    unit: "1",
    suffix: " x",
    sections: ["kernel-release", "kernel-version", "pagesize", "kvm-ipa"],
  },
  "pcpu-alloc on one line": { unit: "pcpu-alloc: ", sections: ["dmesg-kvm"] },
  "ITS chips": { unit: "ITS-", sections: ["interrupts", "dmesg-kvm"] },
  "GIC then spaces": { prefix: "GIC", unit: " ", suffix: "x", sections: ["interrupts", "dmesg-kvm"] },
  "CPU architecture then blank lines": { prefix: "CPU architecture", unit: " \n", suffix: "x", sections: ["cpuinfo"] },
  "Features without asimd": { prefix: "Features\t:", unit: " asimdx", sections: ["cpuinfo", "lscpu"] },
  "IPA limit then spaces": {
    prefix: "kvm [1]: IPA Size Limit:",
    unit: " ",
    suffix: "x",
    sections: ["dmesg-kvm", "kvm-ipa"],
  },
  "MemTotal then blank lines": { prefix: "MemTotal:", unit: " \n", suffix: "x", sections: ["meminfo"] },
  "dma-coherent then spaces": { unit: "dma-coherent ", suffix: "x", sections: ["dt-dma-coherent"] },
  "boot CPU lines": { unit: "Booting Linux on physical CPU 0x0 [", sections: ["dmesg-kvm"] },
  "--fs options": { unit: "  --fs <fs>  ", sections: ["ch-help"] },
  "cloud-hypervisor digits": { prefix: "cloud-hypervisor v1.", unit: "1", suffix: " x", sections: ["ch", "ch-help"] },
  "virtiofsd versions": { unit: "virtiofsd backend 1.", sections: ["virtiofsd"] },
  quotes: { unit: '"', sections: ["os-release", "kernel-config", "dmi"] },
  "compatible commas": { unit: "a,", sections: ["dt-compatible", "dt-model"] },
  "hex digits": { prefix: "0x", unit: "0", sections: ["cpuinfo", "midr", "lscpu"] },
  "CONFIG lines": { unit: 'CONFIG_X="', sections: ["kernel-config"] },
  "uid=": { unit: "uid=", sections: ["user"] },
  "--pmem options": { unit: "  --pmem <pmem>  ", sections: ["ch-options"] },
  "--memory, then continuation lines": { prefix: "--memory <m>\n", unit: " mergeable=\n", sections: ["ch-options"] },
  "present= lines": { unit: "present=yes\nrun=1", sections: ["ksm"] },
  "config= lines": { unit: 'config=/etc/kata-containers/configuration-clh.toml\nimage = "', sections: ["kata"] },
  "kata-runtime versions": { prefix: "runtime=/x\n", unit: "kata-runtime : 3.", sections: ["kata"] },
  "vmm= lines": { unit: "vmm=qemu path=/x\nQEMU emulator version 9.", sections: ["vmms"] },
};

function fill({ prefix = "", unit, suffix = "" }: Pattern, size: number): string {
  const room = Math.max(unit.length, size - prefix.length - suffix.length);
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
}

// Best of three: one garbage collection must not make the reference look slow or the bound loose.
function splitMs(text: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    text.split("\n");
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

// The bound for a text: measured once per body, since a document around it is only a few lines longer.
const boundFor = (text: string) => RATIO * splitMs(text) + FLOOR_MS;

function expectLinear(label: string, text: string, parse: (text: string) => unknown, bound = boundFor(text)): void {
  const started = performance.now();
  parse(text);
  const took = performance.now() - started;
  expect(took, `${label}: ${took.toFixed(0)} ms, bound ${bound.toFixed(0)} ms`).toBeLessThan(bound);
}

function documentWith(section: string, body: string, opts: { rc?: number; arch?: boolean } = {}): string {
  const arch = opts.arch !== false && section !== "arch" ? "--tok arch rc=0\naarch64\n" : "";
  return `daxboard-probe 1 boundary=tok\n${arch}--tok ${section} rc=${opts.rc ?? 0}\n${body}\n--tok--\n`;
}

const derive = (text: string) => deriveFromProbe(text, DEFAULT_GUEST_PROFILE, "tok");

// Text that is not a probe document is a parse-failed scan: an expected outcome, as long as it comes quickly.
function deriveOrRefuse(text: string) {
  try {
    return derive(text);
  } catch (err) {
    if (isScanError(err) && err.errorClass === "parse-failed") return null;
    throw err;
  }
}

// The helpers each section parser is built from, fed the raw text.
const HELPERS: Record<string, (text: string) => unknown> = {
  parseProbeDocument,
  firstLine,
  colonFields,
  keyValues,
  cpuPairsFromCpuinfo,
  pairFromMidr,
  parseChHelp,
  parseChVersion,
  parseVirtiofsdVersion,
  parseKconfigText,
  parseChOptions,
  parseKataText,
  parseVmmsText,
};

describe("probe parsers on 1 MiB of adversarial text", () => {
  it.each(Object.keys(PATTERNS))("%s, in every section, through the whole scan parse path", (name) => {
    const pattern = PATTERNS[name]!;
    for (const size of SIZES) {
      const body = fill(pattern, size);
      const bound = boundFor(body);
      for (const section of pattern.sections ?? PROBE_SECTIONS) {
        expectLinear(`${section} (${size} chars)`, documentWith(section, body), deriveOrRefuse, bound);
      }
      // Sections that failed (rc≠0) are read for their first line and a permission-denied hint.
      expectLinear(`cpuinfo rc=1 (${size} chars)`, documentWith("cpuinfo", body, { rc: 1 }), deriveOrRefuse, bound);
      // Without `uname -m` the architecture is read from cpuinfo.
      expectLinear(
        `cpuinfo without arch (${size} chars)`,
        documentWith("cpuinfo", body, { arch: false }),
        deriveOrRefuse,
        bound,
      );
      // As the whole document, with no header at all.
      expectLinear(`bare text (${size} chars)`, body, deriveOrRefuse, bound);
    }
  });

  it.each(Object.keys(PATTERNS))("%s, fed to each parsing helper", (name) => {
    for (const size of SIZES) {
      const body = fill(PATTERNS[name]!, size);
      const bound = boundFor(body);
      for (const [helper, parse] of Object.entries(HELPERS))
        expectLinear(`${helper} (${size} chars)`, body, parse, bound);
    }
  });

  it("still reads what the rewritten checks read", () => {
    const doc = parseProbeDocument(
      documentWith("cpuinfo", "processor : 0\nCPU implementer : 0x41\nCPU part : 0xd0c\n\n  ...  \n"),
    );
    expect(doc.sections.get("cpuinfo")?.body).toMatch(/\.\.\.\s*$/);
    const { facts } = derive(
      documentWith("cpuinfo", "processor : 0\nCPU implementer : 0x41\nCPU part : 0xd0c\n\n  ...  \n"),
    );
    expect(facts.cpuCount.known).toBe(false);
    expect(facts.cpus).toMatchObject({ known: true, note: expect.stringMatching(/abridged/) });
  });
});
