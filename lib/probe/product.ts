// Product names (DOMAIN.md §3): the CPU table says which products share a core;
// DMI, soc0 and the device tree say which one this is. When nothing separates
// them we name them all ("Neoverse N1 — AWS Graviton2 or Ampere Altra") rather
// than guess.
import { lookupCpu } from "../readiness/cpu-lookup";
import { known, unknown } from "./fact";
import type { CpuGroup, Fact, ProductIdentity, VirtualizationInfo } from "./types";

type Evidence = {
  virtualization: VirtualizationInfo | null;
  dmi: Record<string, string> | null;
  soc0: Record<string, string> | null;
  dtModel: string | null;
  dtCompatible: string[];
  lscpuBiosModel: string | null;
  lscpuModelName: string | null;
};

// Products only sold as cloud instances: a DMI vendor naming someone else rules them out, except in a QEMU/KVM
// guest, whose DMI is whatever its VMM was told to say and so says nothing about the hardware under it.
const CLOUD_ONLY: Array<{ product: RegExp; vendor: RegExp }> = [
  { product: /^AWS Graviton/, vendor: /amazon/i },
  { product: /^Google Axion/, vendor: /google/i },
  { product: /Azure Cobalt/, vendor: /microsoft/i },
  { product: /Yitian/, vendor: /alibaba/i },
];

// Evidence that picks one of the products sharing a core. Order matters: the more
// specific pattern (Altra Max) comes before the general one (Altra).
const PICKERS: Array<{ product: RegExp; evidence: RegExp }> = [
  { product: /^AWS Graviton/, evidence: /amazon ec2/i },
  { product: /Altra Max/, evidence: /altra\s*max/i },
  { product: /^Ampere Altra$/, evidence: /\baltra\b|ampere/i },
  { product: /NVIDIA Grace/, evidence: /grace|nvidia/i },
  { product: /Google Axion/, evidence: /google/i },
  { product: /Raspberry Pi 4/, evidence: /raspberry pi 4|bcm2711/i },
  { product: /Raspberry Pi 5/, evidence: /raspberry pi 5|bcm2712/i },
  { product: /Jetson AGX Orin/, evidence: /agx orin|p3701|tegra234/i },
];

const GENERIC_DMI = /^(to be filled.*|default string|system product name|not specified|none|unknown|0+|o\.e\.m\.?)$/i;

function dmiText(dmi: Record<string, string> | null): string {
  if (!dmi) return "";
  return ["sys_vendor", "product_name", "product_family", "board_vendor", "board_name"]
    .map((k) => dmi[k] ?? "")
    .filter((v) => v && !GENERIC_DMI.test(v))
    .join(" ");
}

export function identifyProduct(cpus: Fact<CpuGroup[]>, arch: Fact<string>, ev: Evidence): Fact<ProductIdentity> {
  const evidenceText = [
    dmiText(ev.dmi),
    ev.soc0 ? Object.values(ev.soc0).join(" ") : "",
    ev.dtModel ?? "",
    ev.dtCompatible.join(" "),
    ev.lscpuBiosModel ?? "",
  ].join(" ");
  const platform =
    ev.dtModel ??
    ([ev.dmi?.sys_vendor, ev.dmi?.product_name].filter((v) => v && !GENERIC_DMI.test(v)).join(" ") || null);

  if (arch.known && arch.value !== "aarch64") {
    const name = ev.lscpuModelName ?? platform;
    return name
      ? known(
          {
            name: platform && platform !== name ? `${name} (${platform})` : name,
            candidates: [name],
            resolved: true,
            basis: "lscpu model name (not arm64)",
          },
          ev.lscpuModelName ? "lscpu" : "dmi",
          "medium",
        )
      : unknown("not-collected", "no model name for a non-arm64 host");
  }

  const groups = cpus.known ? cpus.value.filter((g) => g.part !== null) : [];
  const entries = groups.map((g) => lookupCpu(g.implementer, g.part as string)).filter((e) => e !== null);
  let candidates = [...new Set(entries.flatMap((e) => e.products))];
  const vendor = ev.dmi?.sys_vendor;
  if (vendor && !GENERIC_DMI.test(vendor) && !isKvmGuest(ev.virtualization)) {
    candidates = candidates.filter((p) => !CLOUD_ONLY.some((c) => c.product.test(p) && !c.vendor.test(vendor)));
  }
  const coreNames = [...new Set(entries.map((e) => e.core))].join(" + ");
  // A core the table describes by its users ("phone SoCs") has products the table cannot name: the one listed
  // beside such words is an example, not the answer.
  const users = [...new Set(entries.flatMap((e) => e.users))];
  const suffix = platform ? ` (${platform})` : "";

  // AmpereOne systems name the SKU in the SMBIOS processor record (lscpu "BIOS Model name").
  if (ev.lscpuBiosModel && /AmpereOne/i.test(ev.lscpuBiosModel)) {
    const sku = /AmpereOne\s*(?:\(R\))?\s*([A-Z]\d+-\d+[A-Z]?)/i.exec(ev.lscpuBiosModel)?.[1];
    const name = sku ? `AmpereOne ${sku}` : "AmpereOne";
    return known(
      { name: `${name}${suffix}`, candidates: [name], resolved: true, basis: "lscpu BIOS Model name (SMBIOS)" },
      "lscpu",
    );
  }

  const picked = PICKERS.filter((p) => p.evidence.test(evidenceText))
    .map((p) => candidates.find((c) => p.product.test(c)))
    .find((c): c is string => c !== undefined);
  if (picked) {
    const instance = /amazon ec2/i.test(vendor ?? "") && ev.dmi?.product_name ? ` (${ev.dmi.product_name})` : suffix;
    return known(
      {
        name: `${picked}${instance}`,
        candidates: [picked],
        resolved: true,
        basis: `platform evidence: ${evidenceText.trim().slice(0, 120)}`,
      },
      evidenceSource(ev),
    );
  }
  if (ev.dtModel) {
    // A device-tree model is the board's own name: better than any table guess.
    return known(
      {
        name: ev.dtModel,
        candidates: candidates.length ? candidates : [ev.dtModel],
        resolved: true,
        basis: "device-tree model",
      },
      "dt-model",
    );
  }
  if (candidates.length === 1 && users.length === 0) {
    return known(
      {
        name: `${candidates[0]}${suffix}`,
        candidates,
        resolved: false,
        basis: `only product listed for ${coreNames} in the CPU table`,
      },
      cpus.known ? cpus.source : "cpuinfo",
      "medium",
    );
  }
  if (candidates.length > 1) {
    const list =
      candidates.length === 2
        ? candidates.join(" or ")
        : `${candidates.slice(0, -1).join(", ")} or ${candidates[candidates.length - 1]}`;
    return known(
      {
        name: `${coreNames} — ${list}${suffix}`,
        candidates,
        resolved: false,
        basis: "products sharing this core; nothing in DMI, soc0 or the device tree separates them",
      },
      cpus.known ? cpus.source : "cpuinfo",
      "low",
    );
  }
  if (platform)
    return known(
      { name: platform, candidates: [platform], resolved: true, basis: "DMI vendor and product" },
      "dmi",
      "medium",
    );
  if (entries.length > 0)
    return unknown(
      "not-collected",
      `product unknown: ${coreNames}, which the CPU table does not tie to one product${
        users.length ? ` (used in ${users.join("; ")})` : ""
      }, and no DMI, soc0 or device-tree name`,
    );
  return unknown("not-collected", "no CPU table match and no DMI, soc0 or device-tree name");
}

// DOMAIN.md §3: a host whose DMI or systemd-detect-virt says QEMU/KVM (or a KVM vServer) is a guest.
function isKvmGuest(v: VirtualizationInfo | null): boolean {
  return Boolean(v?.virtualized && v.kind !== null && /^(kvm|qemu|vm)$/i.test(v.kind));
}

function evidenceSource(ev: Evidence): string {
  if (ev.dmi) return "dmi";
  if (ev.soc0) return "soc0";
  if (ev.dtModel) return "dt-model";
  if (ev.dtCompatible.length) return "dt-compatible";
  return "lscpu";
}
