// Typed facts parsed from a probe document. Every fact either names the section
// it came from or is unknown with a reason, so the UI can always say "we know X
// because of Y" or "we could not read X because Z" (DOMAIN.md §3).

export type UnknownReason = "not-collected" | "permission-denied" | "unparseable" | "not-applicable";

export type Confidence = "high" | "medium" | "low";

export type KnownFact<T> = {
  known: true;
  value: T;
  source: string; // probe section name (or "a+b" when two sections agree)
  confidence: Confidence;
  note?: string;
};

export type UnknownFact = {
  known: false;
  reason: UnknownReason;
  detail: string;
  source?: string;
};

export type Fact<T> = KnownFact<T> | UnknownFact;

export type CpuGroup = {
  implementer: string; // "0x41"
  part: string | null; // "0xd0c"; null when only the vendor is known (lscpu without numeric IDs)
  core: string | null; // from the project's CPU table; null when the pair is not in it
  count: number | null; // null when only one sample (e.g. the boot CPU in dmesg) is known
};

export type ProductIdentity = {
  name: string; // "AWS Graviton2 (m6g.8xlarge)" or "Neoverse N1 — AWS Graviton2 or Ampere Altra"
  candidates: string[]; // every product the evidence allows
  resolved: boolean; // true when the evidence picks one product
  basis: string; // what decided it
};

export type KernelVersion = { major: number; minor: number; patch: number | null };

export type OsInfo = { id: string | null; versionId: string | null; prettyName: string | null };

export type GicInfo = { version: 2 | 3 | 4; evidence: string };

export type KvmAccess = { present: boolean; readable: boolean | null; writable: boolean | null };

export type VirtualizationInfo = { virtualized: boolean; kind: string | null; evidence: string };

export type PlatformClass = "server-acpi" | "dt-coherent" | "dt-noncoherent" | "no-gicv3" | "unknown";

export type ChVersion = { major: number; minor: number; patch: number | null; suffix: string | null };

export type CloudHypervisorInfo =
  | { found: false }
  | {
      found: true;
      path: string | null;
      versionText: string | null; // first line of --version, verbatim
      version: ChVersion | null;
      daxOption: boolean | null; // --help offers dax=; null when the help was not readable
      cacheSizeOption: boolean | null;
    };

export type VirtiofsdFlavour = "rust" | "c-qemu" | "unknown";

export type VirtiofsdInfo = {
  path: string;
  versionText: string | null;
  flavour: VirtiofsdFlavour;
  version: { major: number; minor: number; patch: number | null } | null;
};

// Zero-copy path facts (DOMAIN.md §7), from the sections added for issue 13: `ch-options` (the --pmem and --memory
// entries of `cloud-hypervisor --help`), `ksm`, `kata` and `vmms`. A document without them (an older probe, a hand
// run) leaves these facts unknown with reason "not-collected": rules then say UNKNOWN, never FAIL.
export type ChOptions = {
  pmem: boolean; // --help lists --pmem (arm64 since v18.0)
  discardWrites: boolean; // the --pmem entry offers discard_writes=
  mergeable: boolean; // the --memory entry offers mergeable=
};

export type KsmInfo = {
  present: boolean; // /sys/kernel/mm/ksm exists (only with CONFIG_KSM=y)
  run: number | null; // /sys/kernel/mm/ksm/run: 0 off, 1 on, 2 unmerge
  pagesSharing: number | null;
  pagesShared: number | null;
  maxPageSharing: number | null;
};

export type KataConfig = {
  path: string;
  hypervisor: "clh" | "qemu" | "other"; // from the file name (configuration-clh.toml, configuration-qemu*.toml)
  sharedFs: string | null; // shared_fs = "virtio-fs"
  virtioFsCacheSize: number | null; // virtio_fs_cache_size (MiB)
  virtioFsCache: string | null; // virtio_fs_cache = "auto"
  image: string | null;
  initrd: string | null;
  lines: string[]; // the lines read, verbatim (bounded), quoted as evidence
};

export type SemVer = { major: number; minor: number; patch: number | null };

export type KataInfo =
  | { found: false }
  | { found: true; path: string | null; versionText: string | null; version: SemVer | null; configs: KataConfig[] };

export type OtherVmmId = "firecracker" | "libkrun" | "crosvm" | "qemu";

export type OtherVmm = { id: OtherVmmId; path: string; versionText: string | null; version: SemVer | null };

export type Facts = {
  formatVersion: number | null;
  arch: Fact<string>;
  kernelRelease: Fact<string>;
  kernelVersion: Fact<KernelVersion>;
  kernelBuild: Fact<string>;
  pageSize: Fact<number>;
  cpus: Fact<CpuGroup[]>;
  cpuCount: Fact<number>;
  product: Fact<ProductIdentity>;
  memTotalKiB: Fact<number>;
  os: Fact<OsInfo>;
  bootMethod: Fact<"acpi" | "dt">;
  acpiTables: Fact<string[]>;
  dmi: Fact<Record<string, string>>;
  soc0: Fact<Record<string, string>>;
  dtModel: Fact<string>;
  dtCompatible: Fact<string[]>;
  dtDmaCoherent: Fact<boolean>;
  gic: Fact<GicInfo>;
  kvm: Fact<KvmAccess>;
  hypModeAvailable: Fact<boolean>; // false when dmesg says "HYP mode not available"
  dmesgReadable: Fact<boolean>;
  ipaBits: Fact<number>;
  fwb: Fact<boolean>;
  virtualized: Fact<VirtualizationInfo>;
  platformClass: Fact<PlatformClass>;
  kernelConfig: Fact<Record<string, string>>;
  thp: Fact<Record<string, string>>;
  cloudHypervisor: Fact<CloudHypervisorInfo>;
  virtiofsd: Fact<VirtiofsdInfo[]>;
  chOptions: Fact<ChOptions>;
  ksm: Fact<KsmInfo>;
  kata: Fact<KataInfo>;
  otherVmms: Fact<OtherVmm[]>; // every other VMM found; empty when none
  user: Fact<string>;
  probeRuntimeMs: Fact<number>; // the probe's own run time on the host
};

export type ParsedFacts = { facts: Facts; warnings: string[] };
