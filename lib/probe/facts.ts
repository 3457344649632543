// Probe document text → typed Facts. Never throws: anything unreadable becomes an
// unknown fact with its reason, and the problems are listed in `warnings`.
import { parseProbeDocument, type ProbeDocument } from "./document";
import { colonFields, readSection, unknown } from "./fact";
import { parseCpus } from "./parse-cpu";
import {
  derivePlatformClass,
  parseAcpiTables,
  parseBootMethod,
  parseDmesg,
  parseDmi,
  parseDtCompatible,
  parseDtDmaCoherent,
  parseDtModel,
  parseGic,
  parseIpa,
  parseKvm,
  parseSoc0,
  parseVirtualization,
} from "./parse-platform";
import { parseKata, parseVmms } from "./parse-kata-vmms";
import { parseCloudHypervisor, parseVirtiofsd } from "./parse-stack";
import {
  kernelVersionFromRelease,
  parseArch,
  parseKernelBuild,
  parseKernelConfig,
  parseKernelRelease,
  parseMeminfo,
  parseOsRelease,
  parsePageSize,
  parseThp,
  parseUser,
} from "./parse-system";
import { parseProbeRuntime } from "./parse-runtime";
import { parseChOptionsSection, parseKsm } from "./parse-zero-copy";
import { identifyProduct } from "./product";
import type { Facts, ParsedFacts } from "./types";

export function parseFacts(text: unknown): ParsedFacts {
  return parsedFacts(parseProbeDocument(text));
}

// The facts of a document already split into sections (the scan path checks its header and token first).
export function parsedFacts(doc: ProbeDocument): ParsedFacts {
  const warnings = [...doc.warnings];
  try {
    return { facts: factsFromDocument(doc, warnings), warnings };
  } catch (err) {
    // A parser bug must not take the scan down: report everything as unknown.
    warnings.push(`internal parser error: ${err instanceof Error ? err.message : String(err)}`);
    return { facts: emptyFacts(doc.version), warnings };
  }
}

export function factsFromDocument(doc: ProbeDocument, warnings: string[]): Facts {
  const arch = parseArch(doc);
  const kernelRelease = parseKernelRelease(doc);
  const kernelConfig = parseKernelConfig(doc);
  const os = parseOsRelease(doc);
  const { cpus, cpuCount } = parseCpus(doc, arch);
  const dmi = parseDmi(doc);
  const soc0 = parseSoc0(doc);
  const acpiTables = parseAcpiTables(doc);
  const dtModel = parseDtModel(doc);
  const dtCompatible = parseDtCompatible(doc);
  const dtDmaCoherent = parseDtDmaCoherent(doc);
  const bootMethod = parseBootMethod(acpiTables, dtModel, dtCompatible);
  const dmesg = parseDmesg(doc);
  const gic = parseGic(doc, dmesg.gic, dtCompatible);
  const lscpu = readSection(doc, "lscpu");
  const lscpuFields = lscpu.ok ? colonFields(lscpu.body) : {};
  const virtualized = parseVirtualization(doc, dmi, cpus);
  const product = identifyProduct(cpus, arch, {
    virtualization: virtualized.known ? virtualized.value : null,
    dmi: dmi.known ? dmi.value : null,
    soc0: soc0.known ? soc0.value : null,
    dtModel: dtModel.known ? dtModel.value : null,
    dtCompatible: dtCompatible.known ? dtCompatible.value : [],
    lscpuBiosModel: lscpuFields["BIOS Model name"]?.slice(0, 200) ?? null,
    lscpuModelName:
      lscpuFields["Model name"] && lscpuFields["Model name"] !== "-" ? lscpuFields["Model name"].slice(0, 200) : null,
  });
  return {
    formatVersion: doc.version,
    arch,
    kernelRelease,
    kernelVersion: kernelVersionFromRelease(kernelRelease),
    kernelBuild: parseKernelBuild(doc),
    pageSize: parsePageSize(doc, arch, kernelRelease, kernelConfig, os, warnings),
    cpus,
    cpuCount,
    product,
    memTotalKiB: parseMeminfo(doc),
    os,
    bootMethod,
    acpiTables,
    dmi,
    soc0,
    dtModel,
    dtCompatible,
    dtDmaCoherent,
    gic,
    kvm: parseKvm(doc),
    hypModeAvailable: dmesg.hypModeAvailable,
    dmesgReadable: dmesg.readable,
    ipaBits: parseIpa(doc, dmesg.ipaBits),
    fwb: dmesg.fwb,
    virtualized,
    platformClass: derivePlatformClass(gic, bootMethod, acpiTables, dmi, dtDmaCoherent),
    kernelConfig,
    thp: parseThp(doc),
    cloudHypervisor: parseCloudHypervisor(doc, warnings),
    virtiofsd: parseVirtiofsd(doc),
    chOptions: parseChOptionsSection(doc),
    ksm: parseKsm(doc),
    kata: parseKata(doc),
    otherVmms: parseVmms(doc),
    user: parseUser(doc),
    probeRuntimeMs: parseProbeRuntime(doc),
  };
}

function emptyFacts(version: number | null): Facts {
  const u = unknown("unparseable", "parser error");
  return {
    formatVersion: version,
    arch: u,
    kernelRelease: u,
    kernelVersion: u,
    kernelBuild: u,
    pageSize: u,
    cpus: u,
    cpuCount: u,
    product: u,
    memTotalKiB: u,
    os: u,
    bootMethod: u,
    acpiTables: u,
    dmi: u,
    soc0: u,
    dtModel: u,
    dtCompatible: u,
    dtDmaCoherent: u,
    gic: u,
    kvm: u,
    hypModeAvailable: u,
    dmesgReadable: u,
    ipaBits: u,
    fwb: u,
    virtualized: u,
    platformClass: u,
    kernelConfig: u,
    thp: u,
    cloudHypervisor: u,
    virtiofsd: u,
    chOptions: u,
    ksm: u,
    kata: u,
    otherVmms: u,
    user: u,
    probeRuntimeMs: u,
  };
}

// Facts stored by an older parser lack the facts added since (the zero-copy facts of issue 13): those read as
// not collected, so a re-assessment from stored facts judges them UNKNOWN instead of crashing or guessing.
export function normalizeStoredFacts(stored: unknown): Facts {
  const base = emptyFacts(null);
  const missing = unknown("not-collected", "not in the stored facts (scanned before this fact was collected)");
  const given = stored && typeof stored === "object" ? (stored as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(base)) {
    const value = given[key];
    out[key] = key === "formatVersion" ? (typeof value === "number" ? value : null) : isFact(value) ? value : missing;
  }
  return out as Facts;
}

function isFact(value: unknown): boolean {
  return Boolean(value) && typeof value === "object" && typeof (value as { known?: unknown }).known === "boolean";
}
