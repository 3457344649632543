// Truncated, garbled, hostile and oversized documents never throw, and facts the
// document does not support come out UNKNOWN, never FAIL.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseProbeDocument } from "@/lib/probe/document";
import { parseFacts } from "@/lib/probe/facts";
import { assess } from "@/lib/readiness/assess";
import { toAssessmentReport } from "@/lib/readiness/report";
import { captureDocument, listCaptures } from "@/test/support/capture-document";

const SEED_DOCS = [
  "phytium-ft2000plus-64-centos8",
  "hisilicon-kunpeng-920-taishan200-linuxhw",
  "apple-m1-pro-macbookpro-asahi-gentoo",
  "raspberry-pi5-b-16k-kernel",
]
  .filter((n) => listCaptures().includes(n))
  .map((n) => captureDocument(n, "fuzzTok"));

const SECTION_NAMES = [
  "arch",
  "kernel-release",
  "pagesize",
  "cpuinfo",
  "midr",
  "lscpu",
  "interrupts",
  "dmi",
  "acpi-tables",
  "dt-model",
  "dt-compatible",
  "dt-dma-coherent",
  "kvm",
  "dmesg-kvm",
  "kvm-ipa",
  "kernel-config",
  "virt",
  "ch",
  "ch-help",
  "virtiofsd",
  "user",
  "bogus",
];

const section = fc.record({
  name: fc.constantFrom(...SECTION_NAMES),
  rc: fc.oneof(fc.constant("0"), fc.constant("1"), fc.constant("127"), fc.constant(""), fc.string({ maxLength: 4 })),
  body: fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.constantFrom(
      "aarch64",
      "armv7l",
      "x86_64",
      "65536",
      "exists=no",
      "exists=yes\nreadable=no",
      "GICv3",
      "GIC-0",
      "cloud-hypervisor v41.0.0",
      "path=/x\nvirtiofsd 1.13.0",
      "Permission denied",
      "kvm [1]: IPA Size Limit: 36 bits",
      "CPU implementer : 0x41\nCPU part : 0xd0c",
    ),
    fc
      .array(
        fc.constantFrom(
          "processor : 1",
          "CPU implementer\t: 0x41",
          "CPU part\t: 0xd0c",
          "CPU part : zz",
          "...",
          "",
          "--",
          "\u0000",
          "path=",
          "=",
        ),
        { maxLength: 40 },
      )
      .map((l) => l.join("\n")),
  ),
});

const generatedDoc = fc
  .tuple(fc.constantFrom("tok", "T0k3n", "x"), fc.array(section, { maxLength: 25 }), fc.boolean(), fc.boolean())
  .map(([tok, sections, header, close]) => {
    const lines = header ? [`daxboard-probe 1 boundary=${tok}`] : [];
    for (const s of sections) lines.push(`--${tok} ${s.name} rc=${s.rc}`, s.body);
    if (close) lines.push(`--${tok}--`);
    return lines.join("\n");
  });

const mutated = fc
  .tuple(
    fc.constantFrom(...SEED_DOCS),
    fc.nat(),
    fc.nat(),
    fc.string({ maxLength: 40 }),
    fc.constantFrom("truncate", "splice", "dup", "crlf", "drop-lines"),
  )
  .map(([doc, a, b, junk, op]) => {
    const i = a % (doc.length + 1);
    const j = b % (doc.length + 1);
    switch (op) {
      case "truncate":
        return doc.slice(0, i);
      case "splice":
        return doc.slice(0, Math.min(i, j)) + junk + doc.slice(Math.max(i, j));
      case "dup":
        return doc + doc.slice(i);
      case "crlf":
        return doc.replace(/\n/g, "\r\n");
      default:
        return doc
          .split("\n")
          .filter((_, k) => (k + a) % 3 !== 0)
          .join("\n");
    }
  });

function check(text: unknown) {
  const { facts, warnings } = parseFacts(text);
  expect(Array.isArray(warnings)).toBe(true);
  expect(warnings.some((w) => w.startsWith("internal parser error"))).toBe(false);
  const a = assess(facts);
  const report = toAssessmentReport(facts, a);
  expect(() => JSON.stringify(report)).not.toThrow();
  // A FAIL must rest on a known fact, never on an unknown one.
  for (const c of a.checks) {
    if (c.status === "FAIL" && c.group === "platform")
      expect(
        c.evidence.some((e) => e.value !== null),
        c.id,
      ).toBe(true);
  }
  const byId = Object.fromEntries(a.checks.map((c) => [c.id, c]));
  if (!facts.gic.known) expect(byId["platform.gic"].status).toBe("UNKNOWN");
  if (!facts.ipaBits.known) expect(byId["platform.ipa"].status).toBe("UNKNOWN");
  if (!facts.kvm.known && !(facts.hypModeAvailable.known && !facts.hypModeAvailable.value))
    expect(byId["platform.kvm"].status).toBe("UNKNOWN");
  if (!facts.cloudHypervisor.known) expect(byId["stack.cloud-hypervisor"].status).toBe("UNKNOWN");
  if (!facts.arch.known) expect(a.verdict).toBe("unknown");
}

describe("parser robustness", () => {
  it("never throws on generated documents", () => {
    fc.assert(
      fc.property(generatedDoc, (d) => check(d)),
      { numRuns: 3000 },
    );
  });

  it("never throws on truncated/garbled real captures", () => {
    fc.assert(
      fc.property(mutated, (d) => check(d)),
      { numRuns: 2000 },
    );
  });

  it("never throws on arbitrary text and non-strings", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 2000 }), fc.anything()), (d) => check(d)),
      { numRuns: 2000 },
    );
  });

  it("handles an oversized document (8 MiB cpuinfo)", () => {
    const block =
      "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xd0c\n\n";
    const doc = `daxboard-probe 1 boundary=big\n--big cpuinfo rc=0\n${block.repeat(Math.ceil((8 * 1024 * 1024) / block.length))}--big--\n`;
    const { facts } = parseFacts(doc);
    expect(facts.cpus.known && facts.cpus.value[0].count).toBeGreaterThan(80_000);
  });

  it("empty and headerless documents give unknown facts and warnings", () => {
    for (const d of ["", "hello", "--x arch rc=0\naarch64"]) {
      const { facts, warnings } = parseFacts(d);
      expect(facts.arch.known).toBe(false);
      expect(warnings.length).toBeGreaterThan(0);
      expect(assess(facts).verdict).toBe("unknown");
    }
  });

  it("a truncated document keeps the sections read so far and says so", () => {
    const doc = parseProbeDocument("daxboard-probe 1 boundary=t\n--t arch rc=0\naarch64\n--t cpuinfo rc=0\nproc");
    expect(doc.complete).toBe(false);
    expect(doc.sections.get("arch")?.body).toBe("aarch64");
    expect(doc.warnings.join()).toMatch(/truncated/);
  });

  it("a forged boundary with another token is body text, not a section", () => {
    const doc = parseProbeDocument(
      "daxboard-probe 1 boundary=real\n--real dmi rc=0\nsys_vendor=x\n--fake arch rc=0\narmv7l\n--real--\n",
    );
    expect(doc.sections.has("arch")).toBe(false);
  });

  it("permission denied is reported as such", () => {
    const { facts } = parseFacts(
      "daxboard-probe 1 boundary=t\n--t arch rc=0\naarch64\n--t dmesg-kvm rc=1\ndmesg: read kernel buffer failed: Operation not permitted\n--t--\n",
    );
    expect(facts.ipaBits).toMatchObject({ known: false });
    expect(facts.dmesgReadable).toMatchObject({ known: true, value: false });
    expect(!facts.fwb.known && facts.fwb.reason).toBe("permission-denied");
  });
});
