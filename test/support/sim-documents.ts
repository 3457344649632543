// Probe documents for simulated hosts (tests, demo, bench): the real capture of a machine, plus synthetic
// sections for what was never captured there (stack, KVM, GIC, virt, IPA, and the zero-copy sections of issue 13).
// Captured sections always win, and every synthetic one is named in the document's "x-synthetic" section, so
// nothing pretends to be captured. A profile without `zeroCopy` stands for a host scanned by a probe older than
// those sections: its zero-copy facts read as not collected.
import {
  buildProbeDocument,
  captureSections,
  syntheticStackSections,
  type DocSection,
  type SyntheticStack,
} from "./capture-document";
import type { SimBehaviour } from "./sim-fleet";
import { KATA_CLH_QEMU, zeroCopySections, type ZeroCopyOptions } from "./zero-copy-sections";

export type SyntheticPlatform = {
  gic?: 2 | 3;
  acpi?: boolean;
  virt?: string; // systemd-detect-virt value
  ipaBits?: number;
  fwb?: boolean;
};

export type SimProfile = {
  name: string;
  capture: string;
  stack: SyntheticStack;
  platform?: SyntheticPlatform;
  zeroCopy?: ZeroCopyOptions;
  behaviour?: SimBehaviour;
  tags: string[];
};

function platformSections(p: SyntheticPlatform): DocSection[] {
  const out: DocSection[] = [];
  if (p.gic === 3)
    out.push({
      name: "interrupts",
      rc: 0,
      body: "           CPU0       CPU1\n 11:      81234      80012     GICv3  27 Level     arch_timer\n 13:          0          0     GICv3  25 Level     vgic\n",
    });
  if (p.gic === 2)
    out.push({
      name: "interrupts",
      rc: 0,
      body: "           CPU0       CPU1\n 11:      81234      80012     GIC-0  27 Level     arch_timer\n",
    });
  if (p.acpi) out.push({ name: "acpi-tables", rc: 0, body: "APIC\nDSDT\nFACP\nGTDT\nIORT\nMCFG\nPPTT\nSPCR\n" });
  if (p.virt) out.push({ name: "virt", rc: 0, body: `systemd-detect-virt=${p.virt}` });
  if (p.ipaBits) out.push({ name: "kvm-ipa", rc: 0, body: String(p.ipaBits) });
  if (p.ipaBits || p.fwb !== undefined) {
    const lines = [
      `[    1.204511] kvm [1]: IPA Size Limit: ${p.ipaBits ?? 40} bits`,
      "[    1.204890] kvm [1]: GICv3: no GICV resource entry",
      "[    1.205120] kvm [1]: VHE mode initialized successfully",
    ];
    if (p.fwb) lines.splice(1, 0, "[    1.204700] kvm [1]: using Stage-2 Force Write-Back");
    out.push({ name: "dmesg-restrict", rc: 0, body: "0" }, { name: "dmesg-kvm", rc: 0, body: lines.join("\n") });
  }
  return out;
}

type ProfileDocument = Pick<SimProfile, "capture" | "stack" | "platform" | "zeroCopy">;

// A profile's sections are read from disk once: a simulated host stands in for a remote machine, so the bench
// should not charge the scanner's CPU with re-reading capture files on every connection.
const sectionsByProfile = new WeakMap<ProfileDocument, DocSection[]>();

function profileSections(profile: ProfileDocument): DocSection[] {
  const cached = sectionsByProfile.get(profile);
  if (cached) return cached;
  const captured = captureSections(profile.capture);
  const have = new Set(captured.map((s) => s.name));
  const synthetic = [
    ...syntheticStackSections(profile.stack),
    ...platformSections(profile.platform ?? {}),
    ...zeroCopySections(profile.zeroCopy ?? {}),
  ].filter((s) => !have.has(s.name));
  const marker: DocSection = {
    name: "x-synthetic",
    rc: 0,
    body: `synthetic, not captured: ${synthetic.map((s) => s.name).join(" ")}`,
  };
  const sections = [...captured, ...synthetic, marker];
  sectionsByProfile.set(profile, sections);
  return sections;
}

export function simulatedDocument(profile: ProfileDocument, token: string): string {
  return buildProbeDocument(token, profileSections(profile));
}

const SERVER: SyntheticPlatform = { gic: 3, acpi: true, virt: "none", ipaBits: 44, fwb: false };
const KVM = { present: true, readable: true, writable: true };
const LEGACY = {
  ch: "v22.1",
  chHelpDax: true,
  virtiofsd: [{ path: "/usr/libexec/virtiofsd", versionLine: "virtiofsd 1.10.1" }],
  kvm: KVM,
} satisfies SyntheticStack;
const MODERN = {
  ch: "v41.0.0",
  chHelpDax: false,
  virtiofsd: [{ path: "/usr/libexec/virtiofsd", versionLine: "virtiofsd 1.13.0" }],
  kvm: KVM,
} satisfies SyntheticStack;
const DEPRECATED = {
  ch: "v23.0",
  chHelpDax: true,
  virtiofsd: [{ path: "/usr/libexec/virtiofsd", versionLine: "virtiofsd 1.12.0" }],
  kvm: KVM,
} satisfies SyntheticStack;
const NO_CH = { ch: "absent", virtiofsd: [], kvm: KVM } satisfies SyntheticStack;

// Zero-copy sections (DOMAIN.md §7). Every CH release since v18.0 lists --pmem (with discard_writes) and
// --memory …,mergeable=; KSM is compiled into distribution kernels and off until an admin starts ksmd.
const CH_OPTIONS = { chPmem: true, mergeable: true } satisfies ZeroCopyOptions;
const KSM_OFF = { ksm: { run: 0, pagesSharing: 0, pagesShared: 0 }, ksmConfig: "y" } satisfies ZeroCopyOptions;
const KSM_ON = {
  ksm: { run: 1, pagesSharing: 48213, pagesShared: 5120 },
  ksmConfig: "y",
} satisfies ZeroCopyOptions;
const NO_KSM = { ksm: { present: false }, ksmConfig: "n" } satisfies ZeroCopyOptions;
const NOTHING_ELSE = { kata: "absent", vmms: [] } satisfies ZeroCopyOptions;
const ZC_CH = { ...CH_OPTIONS, ...KSM_OFF, ...NOTHING_ELSE } satisfies ZeroCopyOptions;
const ZC_NO_CH = { ch: "absent", ...KSM_OFF, ...NOTHING_ELSE } satisfies ZeroCopyOptions;

// A varied fleet: every arm64 capture at least once, stacks from the legacy DAX pair to current releases,
// plus the x86 capture (n/a) and hostile hosts, named as such.
export const DEMO_FLEET: SimProfile[] = [
  {
    name: "altra-max-01",
    capture: "ampere-altra-max-m96-28-adlink-aadp",
    stack: LEGACY,
    platform: SERVER,
    zeroCopy: ZC_CH,
    tags: ["altra", "legacy-stack", "rack1"],
  },
  {
    // Scanned by the probe before the zero-copy sections (so are others without zeroCopy): tests add their own.
    name: "altra-max-02",
    capture: "ampere-altra-max-m96-28-adlink-aadp",
    stack: MODERN,
    platform: SERVER,
    tags: ["altra", "rack1"],
  },
  {
    name: "altra-03",
    capture: "ampere-altra-hrw",
    stack: DEPRECATED,
    platform: SERVER,
    zeroCopy: { ...ZC_CH, ...NO_KSM },
    tags: ["altra", "rack1"],
  },
  {
    name: "ampereone-64k-01",
    capture: "ampereone-a192-32x-supermicro-ubuntu-64k",
    stack: LEGACY,
    platform: { ...SERVER, ipaBits: 48, fwb: true },
    zeroCopy: { ...ZC_CH, ...KSM_ON },
    tags: ["ampereone", "64k", "legacy-stack", "rack2"],
  },
  {
    name: "ampereone-64k-02",
    capture: "ampereone-a192-32x-supermicro-ubuntu-64k",
    stack: MODERN,
    platform: { ...SERVER, ipaBits: 48, fwb: true },
    tags: ["ampereone", "64k", "rack2"],
  },
  {
    name: "graviton2-m6g-01",
    capture: "aws-graviton2-m6g-8xlarge",
    stack: MODERN,
    platform: { ...SERVER, virt: "amazon" },
    zeroCopy: ZC_CH,
    tags: ["aws", "graviton2"],
  },
  {
    name: "graviton2-t4g-01",
    capture: "aws-graviton2-t4g-small-al2023",
    stack: NO_CH,
    platform: SERVER,
    zeroCopy: { ...ZC_NO_CH, vmms: [{ id: "firecracker" }] },
    tags: ["aws", "graviton2"],
  },
  {
    name: "graviton3-c7g-01",
    capture: "aws-graviton3-c7g-medium-fedora34",
    stack: MODERN,
    platform: { ...SERVER, fwb: true },
    zeroCopy: { ...ZC_CH, kata: KATA_CLH_QEMU },
    tags: ["aws", "graviton3"],
  },
  {
    name: "graviton1-a1-01",
    capture: "aws-graviton1-a1-16vcpu",
    stack: LEGACY,
    platform: SERVER,
    tags: ["aws", "graviton1", "legacy-stack"],
  },
  {
    name: "kunpeng920-01",
    capture: "hisilicon-kunpeng-920-taishan200-linuxhw",
    stack: LEGACY,
    platform: { ...SERVER, ipaBits: 48 },
    zeroCopy: ZC_CH,
    tags: ["kunpeng", "legacy-stack", "rack3"],
  },
  {
    name: "kunpeng920-02",
    capture: "hisilicon-kunpeng-920-taishan200-linuxhw",
    stack: MODERN,
    platform: { ...SERVER, ipaBits: 48 },
    zeroCopy: { ...ZC_CH, ...KSM_ON, vmms: [{ id: "qemu" }] },
    tags: ["kunpeng", "rack3"],
  },
  {
    name: "yitian710-01",
    capture: "alibaba-yitian-710-g8y-vm",
    stack: MODERN,
    platform: { ...SERVER, fwb: true },
    tags: ["alibaba", "yitian"],
  },
  {
    name: "anolis-64k-01",
    capture: "alibaba-ecs-arm64-anolis88-64k",
    stack: DEPRECATED,
    platform: SERVER,
    tags: ["alibaba", "64k"],
  },
  {
    name: "grace-01",
    capture: "nvidia-grace-hrw-abridged",
    stack: MODERN,
    platform: { ...SERVER, ipaBits: 48, fwb: true },
    tags: ["nvidia", "grace", "rack4"],
  },
  {
    name: "grace-02",
    capture: "nvidia-grace-hrw-abridged",
    stack: LEGACY,
    platform: { ...SERVER, ipaBits: 48, fwb: true },
    tags: ["nvidia", "grace", "legacy-stack", "rack4"],
  },
  {
    name: "graviton3-c7g-02",
    capture: "aws-graviton3-c7g-medium-fedora34",
    stack: DEPRECATED,
    platform: { ...SERVER, fwb: true },
    tags: ["aws", "graviton3"],
  },
  {
    name: "yitian710-02",
    capture: "alibaba-yitian-710-g8y-vm",
    stack: LEGACY,
    platform: { ...SERVER, fwb: true },
    tags: ["alibaba", "yitian", "legacy-stack"],
  },
  { name: "thunderx2-01", capture: "marvell-thunderx2-cn9980", stack: MODERN, platform: SERVER, tags: ["marvell"] },
  {
    name: "phytium-64k-01",
    capture: "phytium-ft2000plus-64-centos8",
    stack: NO_CH,
    platform: { gic: 3, virt: "none", ipaBits: 44 },
    tags: ["phytium", "64k"],
  },
  {
    name: "hetzner-cax-01",
    capture: "hetzner-cax-ampere-altra-kvm-vm",
    stack: { ...MODERN, kvm: { present: false } },
    platform: { gic: 3, acpi: true, virt: "kvm" },
    zeroCopy: ZC_CH,
    tags: ["hetzner", "vm"],
  },
  {
    name: "jetson-orin-01",
    capture: "nvidia-jetson-agx-orin-cpuinfo",
    stack: MODERN,
    platform: { gic: 3, virt: "none", ipaBits: 40 },
    zeroCopy: { ...ZC_CH, vmms: [{ id: "libkrun" }] },
    tags: ["edge", "jetson"],
  },
  {
    name: "jetson-xavier-01",
    capture: "nvidia-jetson-agx-xavier",
    stack: NO_CH,
    platform: { gic: 2, virt: "none" },
    tags: ["edge", "jetson"],
  },
  {
    name: "rpi4-01",
    capture: "raspberry-pi4-b-aarch64",
    stack: MODERN,
    platform: { gic: 2, virt: "none" },
    tags: ["edge", "raspberry-pi"],
  },
  {
    name: "rpi5-16k-01",
    capture: "raspberry-pi5-b-16k-kernel",
    stack: MODERN,
    platform: { gic: 2, virt: "none" },
    zeroCopy: ZC_CH,
    tags: ["edge", "raspberry-pi", "16k"],
  },
  {
    name: "m1-asahi-01",
    capture: "apple-m1-pro-macbookpro-asahi-gentoo",
    stack: NO_CH,
    platform: { virt: "none" },
    tags: ["apple", "16k"],
  },
  {
    name: "x86-build-01",
    capture: "x86-64-amd-ryzen-ai-max-395-framework-desktop",
    stack: MODERN,
    platform: { virt: "none" },
    zeroCopy: ZC_CH,
    tags: ["x86"],
  },
  { name: "hostile-no-banner", capture: "ampere-altra-hrw", stack: MODERN, behaviour: "no-banner", tags: ["hostile"] },
  { name: "hostile-flood", capture: "ampere-altra-hrw", stack: MODERN, behaviour: "flood", tags: ["hostile"] },
  { name: "hostile-garbage", capture: "ampere-altra-hrw", stack: MODERN, behaviour: "garbage", tags: ["hostile"] },
  { name: "hostile-exit-1", capture: "ampere-altra-hrw", stack: MODERN, behaviour: "exit-1", tags: ["hostile"] },
  {
    // Appended (demo ports follow list order): a vendor CH build whose --help lists no --pmem, so KSM is the path.
    name: "altra-vendor-ch-01",
    capture: "ampere-altra-hrw",
    stack: { ...MODERN, ch: "v41.0.0-41.0.120.g4ea35aaf" },
    platform: SERVER,
    zeroCopy: { chPmem: false, mergeable: true, ...KSM_ON, ...NOTHING_ELSE },
    tags: ["altra", "vendor-ch"],
  },
];
