// Every real capture → probe document → facts → assessment, checked against its
// labels.json. Plain labels are asserted; "~" labels only where DOMAIN.md gives a
// rule for the inference, and otherwise the fact must stay unknown (never guessed).
import { describe, expect, it } from "vitest";
import { parseFacts } from "@/lib/probe/facts";
import { assess } from "@/lib/readiness/assess";
import { toAssessmentReport } from "@/lib/readiness/report";
import { captureDocument, listCaptures, readLabels } from "@/test/support/capture-document";

// Labels the captured text cannot support, with the reason (reported in the closing note).
const HONEST_UNKNOWN: Record<string, Record<string, string>> = {
  "nvidia-jetson-agx-xavier": {
    core: "no numeric part captured: lscpu gives only 'Vendor ID: Nvidia'; 'Carmel' is sbc-bench's SoC guess",
  },
  "raspberry-pi4-b-aarch64": {
    boot: "sbc-bench v0.9.2 printed no 'DT compat' line and reformats the device name ('RPi 4 …')",
  },
};

// "~" page sizes that a DOMAIN.md §3 release-name rule supports.
const PAGE_SIZE_INFERENCE_SUPPORTED = new Set([
  "ampereone-a192-32x-supermicro-ubuntu-64k", // Ubuntu -generic-64k
  "apple-m1-pro-macbookpro-asahi-gentoo", // Asahi uses 16K
  "phytium-ft2000plus-64-centos8", // RHEL 8 family defaults to 64K
  "raspberry-pi5-b-16k-kernel", // v8_16k
  "ampere-altra-max-m96-28-adlink-aadp", // Ubuntu defaults to 4K
  "hetzner-cax-ampere-altra-kvm-vm", // Ubuntu defaults to 4K
  "aws-graviton2-m6g-8xlarge", // Ubuntu -aws defaults to 4K
]);

// Products sharing a core with nothing in the capture to separate them (DOMAIN.md §3).
const AMBIGUOUS_PRODUCTS = new Set([
  "ampere-altra-hrw",
  "aws-graviton1-a1-16vcpu",
  "aws-graviton2-m6g-8xlarge",
  "aws-graviton2-t4g-small-al2023",
  "aws-graviton3-c7g-medium-fedora34",
  "nvidia-grace-hrw-abridged",
  "nvidia-jetson-agx-orin-cpuinfo",
  "raspberry-pi4-b-aarch64",
  "hetzner-cax-ampere-altra-kvm-vm",
]);

const tokens = (s: string) =>
  new Set(
    s
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean),
  );
const noParens = (s: string) => s.replace(/\([^)]*\)/g, " ");
const subset = (a: Set<string>, b: Set<string>) => a.size > 0 && [...a].every((t) => b.has(t));

/** Same product: one name's words contain the other's, or they share a model token like "thunderx2". */
export function sameProduct(label: string, ours: string): boolean {
  const L = tokens(noParens(label));
  const O = tokens(ours);
  if (subset(L, O) || subset(tokens(noParens(ours)), L)) return true;
  return [...L].some((t) => t.length >= 3 && /\d/.test(t) && /[a-z]/.test(t) && O.has(t));
}

function sameCore(label: string, ours: string): boolean {
  const L = tokens(label.replace(/\(0x[0-9a-f]+\)/gi, " "));
  const O = tokens(ours);
  return [...L].some((t) => t.length >= 3 && O.has(t)) || O.has([...L].join(""));
}

const plain = (v: string | undefined) =>
  v !== undefined && v !== "unknown" && !v.startsWith("~") && !v.startsWith("unknown ");

describe("real captures vs labels.json", () => {
  const captures = listCaptures();

  it("finds the captures", () => {
    expect(captures.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of captures) {
    describe(name, () => {
      const labels = readLabels(name);
      const { facts, warnings } = parseFacts(captureDocument(name));
      const assessment = assess(facts);
      const report = toAssessmentReport(facts, assessment);
      const honest = HONEST_UNKNOWN[name] ?? {};

      it("parses without internal errors", () => {
        expect(warnings.filter((w) => w.startsWith("internal"))).toEqual([]);
        expect(facts.formatVersion).toBe(1);
      });

      it("arch", () => {
        if (plain(labels.arch)) expect(report.facts.arch).toBe(labels.arch);
      });

      it("implementer and part", () => {
        if (labels.implementer === "unknown") {
          expect(report.facts.cpus).toEqual([]);
          return;
        }
        if (labels.arch !== "aarch64") return;
        expect(report.facts.cpus.map((c) => c.implementer)).toContain(labels.implementer);
        if (plain(labels.part)) {
          const parts = labels.part.split("+").map((p) => p.trim());
          expect(report.facts.cpus.map((c) => c.part).sort()).toEqual(parts.sort());
        } else if (labels.part?.startsWith("~")) {
          // An inferred part is never asserted; ours may only be unknown or agree.
          for (const c of report.facts.cpus) expect([null, labels.part.slice(1)]).toContain(c.part);
        }
      });

      it("core", () => {
        if (labels.arch !== "aarch64" || !plain(labels.core)) return;
        const cores = report.facts.cpus.map((c) => c.core);
        if (honest.core) {
          expect(cores.every((c) => c === null)).toBe(true);
          return;
        }
        for (const piece of labels.core.split("+")) {
          expect(
            cores.some((c) => c !== null && sameCore(piece, c)),
            `${piece} in ${cores.join(", ")}`,
          ).toBe(true);
        }
      });

      it("page size", () => {
        const label = labels.page_size;
        if (plain(label)) expect(report.facts.pageSize).toBe(Number(label));
        else if (label?.startsWith("~")) {
          if (PAGE_SIZE_INFERENCE_SUPPORTED.has(name)) expect(report.facts.pageSize).toBe(Number(label.slice(1)));
          else expect(report.facts.pageSize).toBeNull();
        } else expect(report.facts.pageSize).toBeNull();
      });

      it("boot method", () => {
        const label = labels.boot;
        if (honest.boot) expect(report.facts.bootMethod).toBeNull();
        else if (plain(label)) expect(report.facts.bootMethod).toBe(label);
        else if (label?.startsWith("~")) expect([null, label.slice(1)]).toContain(report.facts.bootMethod);
      });

      it("kernel release", () => {
        const label = labels.kernel;
        if (plain(label)) expect(report.facts.kernelRelease).toBe(label);
        else if (label?.startsWith("~")) expect(report.facts.kernelRelease).toBeNull();
      });

      it("product", () => {
        const label = labels.product?.replace(/^~/, "");
        if (!label || labels.product.startsWith("unknown")) return;
        expect(facts.product.known).toBe(true);
        if (!facts.product.known) return;
        const p = facts.product.value;
        if (AMBIGUOUS_PRODUCTS.has(name)) {
          expect(p.resolved).toBe(false);
          expect(p.candidates.length).toBeGreaterThan(1);
          expect(
            p.candidates.some((c) => sameProduct(label, c)),
            `${label} among ${p.candidates.join(" | ")}`,
          ).toBe(true);
        } else {
          expect(sameProduct(label, p.name), `${label} vs ${p.name}`).toBe(true);
        }
      });

      it("verdict: n/a for x86, otherwise unknown facts never become FAIL", () => {
        if (labels.arch === "x86_64") {
          expect(assessment.verdict).toBe("n/a");
          return;
        }
        // Captures lack /dev/kvm and /proc/interrupts: the honest verdict is unknown.
        expect(assessment.verdict).toBe("unknown");
        expect(assessment.checks.filter((c) => c.group === "platform" && c.status === "FAIL")).toEqual([]);
      });
    });
  }
});

describe("product matching helper", () => {
  it("rejects different products", () => {
    expect(sameProduct("AWS Graviton2 (m6g.8xlarge)", "Ampere Altra")).toBe(false);
    expect(sameProduct("Raspberry Pi 4 Model B (BCM2711)", "Raspberry Pi 5 Model B Rev 1.0")).toBe(false);
    expect(sameProduct("Marvell ThunderX2 CN9980", "Marvell/Cavium ThunderX2")).toBe(true);
  });
});
