// The guest kernel .config the operator uploads, judged for each zero-copy path that runs a guest driver
// (DOMAIN.md §4 rule 13 for virtio-fs DAX, §7 B for virtio-pmem + a DAX filesystem).
import { parseKconfigText } from "../probe/parse-system";
import type { GuestProfile } from "./guest-profile";

// fs/fuse/Kconfig (FUSE_DAX depends on VIRTIO_FS, FS_DAX, DAX, ZONE_DEVICE),
// mm/Kconfig (ZONE_DEVICE needs MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP).
export const GUEST_DAX_CONFIG = [
  "CONFIG_VIRTIO_FS",
  "CONFIG_FUSE_DAX",
  "CONFIG_FS_DAX",
  "CONFIG_DAX",
  "CONFIG_ZONE_DEVICE",
  "CONFIG_MEMORY_HOTPLUG",
  "CONFIG_MEMORY_HOTREMOVE",
  "CONFIG_SPARSEMEM_VMEMMAP",
] as const;

// drivers/nvdimm/Kconfig (VIRTIO_PMEM → LIBNVDIMM, BLK_DEV_PMEM), the same ZONE_DEVICE chain, and FS_DAX for the
// filesystem. CONFIG_ND_PFN is not needed (DOMAIN.md §7 B).
export const GUEST_PMEM_CONFIG = [
  "CONFIG_VIRTIO_PMEM",
  "CONFIG_LIBNVDIMM",
  "CONFIG_BLK_DEV_PMEM",
  "CONFIG_ZONE_DEVICE",
  "CONFIG_MEMORY_HOTPLUG",
  "CONFIG_MEMORY_HOTREMOVE",
  "CONFIG_SPARSEMEM_VMEMMAP",
  "CONFIG_DAX",
  "CONFIG_FS_DAX",
] as const;

// The DAX filesystem on the pmem image. CH's own arm64 guest config (ch_defconfig) lacks EROFS.
export const GUEST_FS_CONFIG = { erofs: "CONFIG_EROFS_FS", ext4: "CONFIG_EXT4_FS" } as const;

// Firecracker's pmem doc: "needed for DAX on aarch64"; recommended rather than required (medium).
export const GUEST_PMEM_RECOMMENDED = ["CONFIG_ARM64_PMEM"] as const;

export type GuestKconfig = Record<string, string>;

// What the uploaded .config lacks, per path; null when no config was uploaded.
export type GuestConfigGaps = { "virtiofs-dax": string[]; "pmem-dax": string[]; pmemRecommended: string[] };

/** The uploaded guest .config, parsed once per assessment; null when none was uploaded. */
export function readGuestKconfig(guest: GuestProfile): GuestKconfig | null {
  if (guest.kernelConfig === null || guest.kernelConfig.trim() === "") return null;
  return parseKconfigText(guest.kernelConfig);
}

const enabled = (cfg: GuestKconfig, key: string) => cfg[key] === "y" || cfg[key] === "m";

export function pmemRequiredConfig(guest: GuestProfile): string[] {
  return [...GUEST_PMEM_CONFIG, GUEST_FS_CONFIG[guest.fsType]];
}

export function guestConfigGaps(guest: GuestProfile, cfg: GuestKconfig | null = readGuestKconfig(guest)) {
  if (cfg === null) return null;
  const gaps: GuestConfigGaps = {
    "virtiofs-dax": GUEST_DAX_CONFIG.filter((k) => !enabled(cfg, k)),
    "pmem-dax": pmemRequiredConfig(guest).filter((k) => !enabled(cfg, k)),
    pmemRecommended: GUEST_PMEM_RECOMMENDED.filter((k) => cfg[k] !== "y"),
  };
  return gaps;
}
