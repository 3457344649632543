// Builders for the probe sections added for the zero-copy paths (issue 13; formats in DOMAIN.md §7 and the probe
// brief): `ch-options`, `ksm`, `kata`, `vmms`, and a `kernel-config` carrying CONFIG_KSM. Each body is what
// probe.sh prints on such a host; tests and the demo mark the sections they add as synthetic (x-synthetic).
import type { OtherVmmId } from "../../lib/probe/types";
import type { DocSection } from "./capture-document";

export type KsmOptions = {
  present?: boolean; // default true: /sys/kernel/mm/ksm exists
  run?: number;
  pagesSharing?: number;
  pagesShared?: number;
  maxPageSharing?: number;
};

export type KataConfigOptions = {
  path: string; // e.g. /opt/kata/share/defaults/kata-containers/configuration-clh.toml
  image?: string;
  initrd?: string;
  sharedFs?: string;
  cacheSize?: number;
  cache?: string;
};

export type KataOptions = {
  runtime?: string | null; // null: no kata-runtime (configs only)
  version?: string; // "3.27.0"
  configs?: KataConfigOptions[];
};

export type VmmOptions = { id: OtherVmmId; path?: string; versionLines?: string[] };

export type ZeroCopyOptions = {
  ch?: "absent"; // ch-options says cloud-hypervisor: not found
  chPmem?: boolean; // --help lists --pmem
  discardWrites?: boolean; // the --pmem entry offers discard_writes= (default: with --pmem)
  mergeable?: boolean; // the --memory entry offers mergeable= (default true once ch-options is built)
  ksm?: KsmOptions;
  ksmConfig?: "y" | "n"; // CONFIG_KSM in a kernel-config section
  kata?: KataOptions | "absent";
  vmms?: VmmOptions[]; // [] → "none"
};

// Real entries of cloud-hypervisor --help (v37.0 capture), cut down where an option is switched off.
const MEMORY_ENTRY = (mergeable: boolean) =>
  `      --memory <memory>                Memory parameters "size=<guest_memory_size>,${
    mergeable ? "mergeable=on|off," : ""
  }shared=on|off,hugepages=on|off,hugepage_size=<hugepage_size>,hotplug_method=acpi|virtio-mem,hotplug_size=<hotpluggable_memory_size>,hotplugged_size=<hotplugged_memory_size>,prefault=on|off,thp=on|off" [default: size=512M]`;
const PMEM_ENTRY = (discardWrites: boolean) =>
  `      --pmem <pmem>...                 Persistent memory parameters "file=<backing_file_path>,size=<persistent_memory_size>,iommu=on|off,${
    discardWrites ? "discard_writes=on|off," : ""
  }id=<device_id>,pci_segment=<segment_id>"`;

export function chOptionsSection(
  o: Pick<ZeroCopyOptions, "ch" | "chPmem" | "discardWrites" | "mergeable">,
): DocSection {
  if (o.ch === "absent") return { name: "ch-options", rc: 0, body: "cloud-hypervisor: not found" };
  const lines = [MEMORY_ENTRY(o.mergeable !== false)];
  if (o.chPmem) lines.push(PMEM_ENTRY(o.discardWrites !== false));
  return { name: "ch-options", rc: 0, body: lines.join("\n") };
}

export function ksmSection(k: KsmOptions): DocSection {
  if (k.present === false) return { name: "ksm", rc: 0, body: "present=no" };
  const lines = ["present=yes"];
  if (k.run !== undefined) lines.push(`run=${k.run}`);
  if (k.pagesSharing !== undefined) lines.push(`pages_sharing=${k.pagesSharing}`);
  if (k.pagesShared !== undefined) lines.push(`pages_shared=${k.pagesShared}`);
  lines.push(`max_page_sharing=${k.maxPageSharing ?? 256}`);
  return { name: "ksm", rc: 0, body: lines.join("\n") };
}

export function kernelConfigSection(ksm: "y" | "n"): DocSection {
  const line = ksm === "y" ? "CONFIG_KSM=y" : "# CONFIG_KSM is not set";
  return { name: "kernel-config", rc: 0, body: `# from /proc/config.gz\n${line}` };
}

export function kataSection(k: KataOptions | "absent"): DocSection {
  if (k === "absent") return { name: "kata", rc: 0, body: "kata-runtime: not found" };
  const lines: string[] = [];
  if (k.runtime === null) lines.push("kata-runtime: not found");
  else {
    lines.push(`runtime=${k.runtime ?? "/opt/kata/bin/kata-runtime"}`);
    lines.push(`kata-runtime  : ${k.version ?? "3.27.0"}`, "   commit   : 1c154b4c15", "   OCI specs: 1.2.1");
  }
  for (const c of k.configs ?? []) {
    lines.push(`config=${c.path}`);
    if (c.image) lines.push(`image = "${c.image}"`);
    if (c.initrd) lines.push(`initrd = "${c.initrd}"`);
    if (c.sharedFs) lines.push(`shared_fs = "${c.sharedFs}"`);
    if (c.cacheSize !== undefined) lines.push(`virtio_fs_cache_size = ${c.cacheSize}`);
    if (c.cache) lines.push(`virtio_fs_cache = "${c.cache}"`);
  }
  return { name: "kata", rc: 0, body: lines.join("\n") };
}

const KATA_DEFAULTS = "/opt/kata/share/defaults/kata-containers";

/** Kata 3.27.0 as installed from its release tarball: the CH and QEMU configurations. */
export const KATA_CLH_QEMU: KataOptions = {
  runtime: "/opt/kata/bin/kata-runtime",
  version: "3.27.0",
  configs: [
    {
      path: `${KATA_DEFAULTS}/configuration-clh.toml`,
      image: "/opt/kata/share/kata-containers/kata-containers.img",
      sharedFs: "virtio-fs",
      cacheSize: 0,
      cache: "auto",
    },
    {
      path: `${KATA_DEFAULTS}/configuration-qemu.toml`,
      image: "/opt/kata/share/kata-containers/kata-containers.img",
      sharedFs: "virtio-fs",
      cacheSize: 0,
      cache: "auto",
    },
  ],
};

const VMM_DEFAULTS: Record<OtherVmmId, { path: string; versionLines: string[] }> = {
  firecracker: { path: "/usr/local/bin/firecracker", versionLines: ["Firecracker v1.14.0", ""] },
  libkrun: { path: "/usr/lib64/libkrun.so.1", versionLines: [] },
  crosvm: { path: "/usr/local/bin/crosvm", versionLines: ["crosvm 0.1.0"] },
  qemu: { path: "/usr/bin/qemu-system-aarch64", versionLines: ["QEMU emulator version 9.2.0 (Debian 1:9.2.0+ds-1)"] },
};

export function vmmsSection(vmms: VmmOptions[]): DocSection {
  if (vmms.length === 0) return { name: "vmms", rc: 0, body: "none" };
  const lines = vmms.flatMap((v) => {
    const d = VMM_DEFAULTS[v.id];
    return [`vmm=${v.id} path=${v.path ?? d.path}`, ...(v.versionLines ?? d.versionLines)];
  });
  return { name: "vmms", rc: 0, body: lines.join("\n") };
}

/** The new sections a host with these options prints, in probe order; options left out stay out of the document. */
export function zeroCopySections(o: ZeroCopyOptions): DocSection[] {
  const out: DocSection[] = [];
  if (o.ksmConfig) out.push(kernelConfigSection(o.ksmConfig));
  if (o.ch !== undefined || o.chPmem !== undefined || o.mergeable !== undefined) out.push(chOptionsSection(o));
  if (o.ksm) out.push(ksmSection(o.ksm));
  if (o.kata) out.push(kataSection(o.kata));
  if (o.vmms) out.push(vmmsSection(o.vmms));
  return out;
}
