// Boot method, firmware identity, GIC, KVM, dmesg-derived facts (IPA, FWB, HYP
// mode), virtualization and the platform class (DOMAIN.md §3, §4 rule 9).
import type { ProbeDocument } from "./document";
import { colonFields, firstLine, keyValues, known, readSection, unknown } from "./fact";
import type { CpuGroup, Fact, GicInfo, KvmAccess, PlatformClass, VirtualizationInfo } from "./types";

export function parseDmi(doc: ProbeDocument): Fact<Record<string, string>> {
  const s = readSection(doc, "dmi");
  if (!s.ok) return s.fact;
  const kv = keyValues(s.body);
  return Object.keys(kv).length ? known(kv, s.name) : unknown("unparseable", "no name=value lines", s.name);
}

export function parseSoc0(doc: ProbeDocument): Fact<Record<string, string>> {
  const s = readSection(doc, "soc0");
  if (!s.ok) return s.fact;
  const kv = keyValues(s.body);
  return Object.keys(kv).length ? known(kv, s.name) : unknown("unparseable", "no name=value lines", s.name);
}

const MAX_ACPI_TABLES = 256;

export function parseAcpiTables(doc: ProbeDocument): Fact<string[]> {
  const s = readSection(doc, "acpi-tables");
  if (!s.ok) return s.fact;
  // "data" and "dynamic" are sysfs subdirectories, not tables. A firmware has a few dozen tables; the cap keeps a
  // hostile listing from turning into a million-entry fact.
  const names: string[] = [];
  for (const line of s.body.split("\n")) {
    const l = line.trim();
    if (/^[A-Za-z0-9_!]{3,8}$/.test(l) && l !== "data" && l !== "dynamic" && names.push(l) >= MAX_ACPI_TABLES) break;
  }
  return known(names, s.name);
}

export function parseDtModel(doc: ProbeDocument): Fact<string> {
  const s = readSection(doc, "dt-model");
  if (!s.ok) return s.fact;
  const v = firstLine(s.body).slice(0, 200);
  return v ? known(v, s.name) : unknown("unparseable", "empty model", s.name);
}

export function parseDtCompatible(doc: ProbeDocument): Fact<string[]> {
  const s = readSection(doc, "dt-compatible");
  if (!s.ok) return s.fact;
  const list: string[] = [];
  for (const line of s.body.split("\n")) {
    const l = line.trim();
    if (/^[\w.+-]+,[\w.+,-]+$|^[\w.+-]+$/.test(l) && list.push(l) >= 32) break;
  }
  return list.length ? known(list, s.name) : unknown("unparseable", "no compatible strings", s.name);
}

export function parseDtDmaCoherent(doc: ProbeDocument): Fact<boolean> {
  const s = readSection(doc, "dt-dma-coherent");
  if (!s.ok) return s.fact;
  return known(
    s.body.split("\n").some((line) => line.trimEnd().endsWith("dma-coherent")),
    s.name,
  );
}

export function parseBootMethod(
  acpi: Fact<string[]>,
  dtModel: Fact<string>,
  dtCompat: Fact<string[]>,
): Fact<"acpi" | "dt"> {
  if (acpi.known && acpi.value.length > 0)
    return known("acpi", acpi.source, "high", `ACPI tables: ${acpi.value.slice(0, 12).join(" ")}`);
  // ACPI boots leave only a stub device tree without model/compatible.
  if (dtCompat.known) return known("dt", dtCompat.source, "high");
  if (dtModel.known) return known("dt", dtModel.source, "high");
  return unknown("not-collected", "neither ACPI tables nor a device-tree model were captured");
}

export type DmesgFacts = {
  readable: Fact<boolean>;
  ipaBits: Fact<number>;
  fwb: Fact<boolean>;
  hypModeAvailable: Fact<boolean>;
  gic: GicInfo | null;
};

export function parseDmesg(doc: ProbeDocument): DmesgFacts & { body: string | null } {
  const s = readSection(doc, "dmesg-kvm");
  const hint = "set kernel.dmesg_restrict=0 or allow the probe user to read dmesg";
  if (!s.ok) {
    const detail = `${s.fact.detail} (${hint})`;
    const f = { ...s.fact, detail };
    const readable: Fact<boolean> = s.fact.source ? known(false, s.fact.source) : s.fact;
    return { readable, ipaBits: f, fwb: f, hypModeAvailable: f, gic: null, body: null };
  }
  const body = s.body;
  const ipa = /IPA Size Limit:\s*(\d+)\s*bits/i.exec(body);
  // Absence of the FWB line only means something while boot messages are still in
  // the ring buffer: require another boot-time line before concluding "no FWB".
  const bootLinesPresent = /Booting Linux on physical CPU|IPA Size Limit|GICv3:|Hyp mode|VHE mode/.test(body);
  const fwb: Fact<boolean> = /Stage-2 Force Write-Back/.test(body)
    ? known(true, s.name)
    : bootLinesPresent
      ? known(false, s.name, "medium", "no 'Stage-2 Force Write-Back' line in the boot log")
      : unknown("not-collected", "boot messages have left the dmesg buffer", s.name);
  let hyp: Fact<boolean> = unknown("not-collected", "no Hyp/VHE line in dmesg", s.name);
  if (/HYP mode not available/i.test(body)) hyp = known(false, s.name);
  else if (/(Hyp|VHE) mode initialized/i.test(body)) hyp = known(true, s.name);
  let gic: GicInfo | null = null;
  const v3 = /GICv[34][: ]|GICv4 support|GICv3\b/.exec(body);
  if (v3) gic = { version: 3, evidence: `dmesg: ${lineAround(body, v3.index)}` };
  else if (/\bgic-400\b|GIC-400/i.test(body)) gic = { version: 2, evidence: "dmesg mentions GIC-400" };
  return {
    readable: known(true, s.name),
    ipaBits: ipa
      ? known(Number(ipa[1]), s.name)
      : unknown("not-collected", "no 'IPA Size Limit' line in dmesg", s.name),
    fwb,
    hypModeAvailable: hyp,
    gic,
    body,
  };
}

function lineAround(body: string, index: number): string {
  const start = body.lastIndexOf("\n", index) + 1;
  const end = body.indexOf("\n", index);
  return body
    .slice(start, end < 0 ? undefined : end)
    .trim()
    .slice(0, 160);
}

export function parseIpa(doc: ProbeDocument, fromDmesg: Fact<number>): Fact<number> {
  const s = readSection(doc, "kvm-ipa");
  if (s.ok) {
    const n = Number(firstLine(s.body));
    if (Number.isInteger(n) && n >= 32 && n <= 52) return known(n, s.name);
  }
  if (fromDmesg.known) return fromDmesg;
  const tried = s.ok ? `KVM_CAP_ARM_VM_IPA_SIZE returned '${firstLine(s.body).slice(0, 40)}'` : s.fact.detail;
  return unknown(
    fromDmesg.reason === "permission-denied" || (!s.ok && s.fact.reason === "permission-denied")
      ? "permission-denied"
      : "not-collected",
    `${tried}; ${fromDmesg.detail}. Add the probe user to group kvm (ioctl) or make dmesg readable`,
  );
}

const V3_CHIPS = /\bGICv[34]\b|\bITS(-[A-Za-z-]+)?\b|\bGICv3-?/;
const V2_CHIPS = /\bGIC-\d\b|\bGICv2\b|\bGIC\s{2,}|\bGIC\s*$/m;

export function parseGic(doc: ProbeDocument, dmesgGic: GicInfo | null, dtCompat: Fact<string[]>): Fact<GicInfo> {
  const s = readSection(doc, "interrupts");
  if (s.ok) {
    const lines = s.body.split("\n").slice(1);
    const v3 = lines.find((l) => V3_CHIPS.test(l));
    if (v3)
      return known({ version: 3, evidence: `interrupts: ${v3.replace(/\s+/g, " ").trim().slice(0, 120)}` }, s.name);
    const v2 = lines.find((l) => V2_CHIPS.test(l));
    if (v2)
      return known({ version: 2, evidence: `interrupts: ${v2.replace(/\s+/g, " ").trim().slice(0, 120)}` }, s.name);
  }
  if (dmesgGic) return known(dmesgGic, "dmesg-kvm", dmesgGic.version === 3 ? "high" : "medium");
  if (dtCompat.known) {
    const c = dtCompat.value.find((x) => /arm,gic-v3/.test(x));
    if (c) return known({ version: 3, evidence: `device tree: ${c}` }, dtCompat.source);
    const c2 = dtCompat.value.find((x) => /arm,(gic-400|cortex-a15-gic)/.test(x));
    if (c2) return known({ version: 2, evidence: `device tree: ${c2}` }, dtCompat.source);
  }
  if (s.ok) {
    if (/\bAIC\b/.test(s.body))
      return unknown(
        "unparseable",
        "Apple AIC interrupt controller: no GIC; a vGICv3 depends on the kernel's emulation",
        s.name,
      );
    return unknown("unparseable", "no GIC or ITS chip named in /proc/interrupts", s.name);
  }
  return s.fact;
}

export function parseKvm(doc: ProbeDocument): Fact<KvmAccess> {
  const s = readSection(doc, "kvm");
  if (!s.ok) return s.fact;
  const kv = keyValues(s.body);
  if (kv.exists === "no") return known({ present: false, readable: null, writable: null }, s.name);
  if (kv.exists === "yes") {
    const yn = (v: string | undefined) => (v === "yes" ? true : v === "no" ? false : null);
    return known({ present: true, readable: yn(kv.readable), writable: yn(kv.writable) }, s.name);
  }
  return unknown("unparseable", "no exists= line", s.name);
}

const CONTAINERS = new Set([
  "docker",
  "podman",
  "lxc",
  "lxc-libvirt",
  "systemd-nspawn",
  "openvz",
  "rkt",
  "wsl",
  "proot",
  "pouch",
]);

export function parseVirtualization(
  doc: ProbeDocument,
  dmi: Fact<Record<string, string>>,
  cpus: Fact<CpuGroup[]>,
): Fact<VirtualizationInfo> {
  const s = readSection(doc, "virt");
  if (s.ok) {
    const kv = keyValues(s.body);
    const sdv = kv["systemd-detect-virt"];
    if (kv["hypervisor-type"])
      return known(
        { virtualized: true, kind: kv["hypervisor-type"], evidence: `/sys/hypervisor/type=${kv["hypervisor-type"]}` },
        s.name,
      );
    if (sdv && sdv !== "none" && !CONTAINERS.has(sdv))
      return known({ virtualized: true, kind: sdv, evidence: `systemd-detect-virt=${sdv}` }, s.name);
  }
  if (dmi.known) {
    const vendor = dmi.value.sys_vendor ?? "";
    const product = dmi.value.product_name ?? "";
    const text = `${vendor} ${product} ${dmi.value.bios_vendor ?? ""}`;
    if (/\bQEMU\b|\bKVM\b|VMware|VirtualBox|Parallels/i.test(text))
      return known({ virtualized: true, kind: "vm", evidence: `DMI: ${text.trim()}` }, dmi.source);
    if (/hetzner/i.test(vendor) && /vserver/i.test(product))
      return known({ virtualized: true, kind: "vm", evidence: `DMI: ${vendor} ${product}` }, dmi.source);
    // EC2 instances are Nitro VMs unless the instance type is *.metal.
    if (/amazon ec2/i.test(vendor) && product && !/\.metal/i.test(product))
      return known({ virtualized: true, kind: "amazon", evidence: `DMI: ${vendor} ${product}` }, dmi.source, "medium");
  }
  if (cpus.known && cpus.value.some((c) => c.implementer === "0x00"))
    return known(
      { virtualized: true, kind: "vm", evidence: "CPU implementer 0x00 (Apple Virtualization guest)" },
      cpus.source,
      "medium",
    );
  const lscpu = readSection(doc, "lscpu");
  if (lscpu.ok) {
    const hv = colonFields(lscpu.body)["Hypervisor vendor"];
    if (hv)
      return known(
        { virtualized: true, kind: hv.toLowerCase(), evidence: `lscpu Hypervisor vendor: ${hv}` },
        lscpu.name,
      );
  }
  if (s.ok) {
    const sdv = keyValues(s.body)["systemd-detect-virt"];
    if (sdv === "none" || (sdv && CONTAINERS.has(sdv)))
      return known(
        {
          virtualized: false,
          kind: sdv === "none" ? null : `container:${sdv}`,
          evidence: `systemd-detect-virt=${sdv}`,
        },
        s.name,
      );
    return unknown("unparseable", "virt section names no hypervisor and no 'none'", s.name);
  }
  return s.fact;
}

export function derivePlatformClass(
  gic: Fact<GicInfo>,
  boot: Fact<"acpi" | "dt">,
  acpi: Fact<string[]>,
  dmi: Fact<Record<string, string>>,
  dmaCoherent: Fact<boolean>,
): Fact<PlatformClass> {
  if (gic.known && gic.value.version === 2) return known("no-gicv3", gic.source, "high");
  if (!gic.known || !boot.known) return unknown("not-collected", "needs both the GIC version and the boot method");
  if (boot.value === "acpi") {
    const iort = acpi.known && acpi.value.includes("IORT");
    const vendor = dmi.known && Boolean(dmi.value.sys_vendor);
    const note = [iort ? "IORT present" : "no IORT listed", vendor ? "DMI vendor present" : "no DMI vendor"].join(", ");
    return known("server-acpi", `${boot.source}+${gic.source}`, iort && vendor ? "high" : "medium", note);
  }
  if (!dmaCoherent.known) return unknown("not-collected", "DT platform without the dt-dma-coherent section");
  return known(dmaCoherent.value ? "dt-coherent" : "dt-noncoherent", `${boot.source}+${dmaCoherent.source}`);
}
