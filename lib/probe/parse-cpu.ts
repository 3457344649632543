// CPU identity: numeric (implementer, part) pairs of every CPU, counted
// (DOMAIN.md §3). Sources in order: cpuinfo, midr_el1, the boot CPU's MIDR in
// dmesg, and only then lscpu's names (never trusted over numeric IDs).
import { entriesForLscpuName, implementerFromVendorName, lookupCpu, normalizeHexId } from "../readiness/cpu-lookup";
import type { ProbeDocument } from "./document";
import { colonFields, known, readSection, unknown } from "./fact";
import type { CpuGroup, Fact } from "./types";

function group(pairs: Array<[string, string | null]>, counted: boolean): CpuGroup[] {
  const counts = new Map<string, { implementer: string; part: string | null; n: number }>();
  for (const [implementer, part] of pairs) {
    const key = `${implementer}/${part}`;
    const g = counts.get(key) ?? { implementer, part, n: 0 };
    g.n += 1;
    counts.set(key, g);
  }
  return [...counts.values()].map((g) => ({
    implementer: g.implementer,
    part: g.part,
    core: g.part === null ? null : (lookupCpu(g.implementer, g.part)?.core ?? null),
    count: counted ? g.n : null,
  }));
}

/** cpuinfo → one (implementer, part) per processor block. Tolerates tabs, blank
 * lines, "..." abridgements and blocks missing one of the two fields. */
export function cpuPairsFromCpuinfo(body: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let impl: string | null = null;
  let part: string | null = null;
  const flush = () => {
    if (impl !== null && part !== null) pairs.push([impl, part]);
    impl = null;
    part = null;
  };
  for (const line of body.split("\n")) {
    const i = line.indexOf(":");
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === "processor") flush();
    else if (key === "cpu implementer") {
      if (impl !== null && part !== null) flush();
      impl = normalizeHexId(value, 2);
    } else if (key === "cpu part") {
      if (impl !== null && part !== null) flush();
      part = normalizeHexId(value, 3);
    }
  }
  flush();
  return pairs;
}

/** MIDR_EL1: implementer bits 31:24, variant 23:20, part 15:4, revision 3:0. */
export function pairFromMidr(raw: string): [string, string] | null {
  const s = raw.trim().toLowerCase();
  if (!/^(0x)?[0-9a-f]{1,16}$/.test(s)) return null;
  const v = Number.parseInt(s.replace(/^0x/, "").slice(-8), 16);
  if (!Number.isFinite(v)) return null;
  const implementer = "0x" + ((v >>> 24) & 0xff).toString(16).padStart(2, "0");
  const part = "0x" + ((v >>> 4) & 0xfff).toString(16).padStart(3, "0");
  return [implementer, part];
}

export type CpuFacts = { cpus: Fact<CpuGroup[]>; cpuCount: Fact<number> };

export function parseCpus(doc: ProbeDocument, arch: Fact<string>): CpuFacts {
  const reasons: string[] = [];
  const lscpu = readSection(doc, "lscpu");
  const lscpuFields = lscpu.ok ? colonFields(lscpu.body) : null;
  const lscpuCount = lscpuFields ? Number(lscpuFields["CPU(s)"]) : NaN;

  const cpuinfo = readSection(doc, "cpuinfo");
  if (cpuinfo.ok) {
    const pairs = cpuPairsFromCpuinfo(cpuinfo.body);
    if (pairs.length > 0) {
      // An abridged paste ("...") lists fewer blocks than the machine has; the
      // count is then what was captured, and we say so.
      // Line by line: /^\s*\.\.\.\s*$/m backtracks quadratically over runs of blank lines (\s matches newlines).
      const abridged = cpuinfo.body.split("\n").some((line) => line.trim() === "...");
      return {
        cpus: known(
          group(pairs, true),
          cpuinfo.name,
          "high",
          abridged ? "cpuinfo is abridged: counts are of captured blocks" : undefined,
        ),
        cpuCount: abridged
          ? Number.isInteger(lscpuCount) && lscpuCount > 0
            ? known(lscpuCount, "lscpu")
            : unknown("unparseable", "cpuinfo is abridged", cpuinfo.name)
          : known(pairs.length, cpuinfo.name),
      };
    }
    reasons.push("cpuinfo has no CPU implementer/part pairs");
  } else reasons.push(cpuinfo.fact.detail);

  const midr = readSection(doc, "midr");
  if (midr.ok) {
    const pairs = midr.body
      .split("\n")
      .map((l) => pairFromMidr(l.slice(l.lastIndexOf("=") + 1)))
      .filter((p): p is [string, string] => p !== null);
    if (pairs.length > 0)
      return { cpus: known(group(pairs, true), midr.name), cpuCount: known(pairs.length, midr.name) };
  }

  const count: Fact<number> =
    Number.isInteger(lscpuCount) && lscpuCount > 0
      ? known(lscpuCount, "lscpu")
      : unknown("not-collected", reasons.join("; "));

  const dmesg = readSection(doc, "dmesg-kvm");
  if (dmesg.ok) {
    const m = /Booting Linux on physical CPU \S+ \[(0x[0-9a-fA-F]{8})\]/.exec(dmesg.body);
    const pair = m ? pairFromMidr(m[1]) : null;
    if (pair) {
      // Only the boot CPU is known: heterogeneous systems may hide other parts.
      const g = group([pair], false);
      return { cpus: known(g, dmesg.name, "medium", "boot CPU's MIDR only (dmesg)"), cpuCount: count };
    }
  }

  if (lscpuFields && (!arch.known || arch.value === "aarch64")) {
    const vendor = lscpuFields["Vendor ID"] ?? "";
    const implementer = implementerFromVendorName(vendor);
    if (implementer) {
      const entries = entriesForLscpuName(implementer, lscpuFields["Model name"] ?? "");
      const unique = entries.length === 1 ? entries[0] : null;
      return {
        cpus: known(
          [
            {
              implementer,
              part: unique?.part ?? null,
              core: unique?.core ?? null,
              count: count.known ? count.value : null,
            },
          ],
          "lscpu",
          "medium",
          unique
            ? `from lscpu names (Vendor ID '${vendor}', Model name '${lscpuFields["Model name"]}'): no numeric IDs captured`
            : `lscpu Vendor ID '${vendor}' only; Model name '${lscpuFields["Model name"] ?? ""}' does not identify one part`,
        ),
        cpuCount: count,
      };
    }
    reasons.push(`lscpu Vendor ID '${vendor.slice(0, 40)}' is not an arm64 implementer`);
  }
  return { cpus: unknown(cpuinfo.ok ? "unparseable" : "not-collected", reasons.join("; ")), cpuCount: count };
}
