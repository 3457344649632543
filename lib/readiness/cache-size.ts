// Recommended virtio-fs DAX window (cache_size), DOMAIN.md §5 step by step.
import type { GuestProfile } from "./guest-profile";

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

// CH's default --cpus max_phys_bits (vmm/src/config.rs) caps the guest physical space.
const CH_DEFAULT_MAX_PHYS_BITS = 46;
// CH arm64 layout (arch/src/aarch64/layout.rs): RAM starts at 1 GiB; past 3008 MiB
// it continues at 4 GiB; the 64-bit device area ends 1 MiB + 64 KiB below 2^bits.
const RAM_START = 1 * GiB;
const LOW_RAM_MAX = 3008 * MiB;
const HIGH_RAM_START = 4 * GiB;
const DEVICE_AREA_TOP_GAP = 1 * MiB + 64 * KiB;
const OTHER_BARS_HEADROOM = 1 * GiB;
// CH's old default window (v0.2.0 … v22.1): exceed it only when the working set asks.
const DEFAULT_CAP = 8 * GiB;
// fs/fuse/dax.c: FUSE_DAX_SHIFT = 21 (2 MiB ranges); reclaim starts below 20 % free.
const DAX_RANGE = 2 * MiB;
const RECLAIM_FREE_FRACTION = 0.2;
const MIN_WINDOW = 64 * MiB;
// Each guest page of window costs one 64-byte struct page in the guest.
const STRUCT_PAGE_BYTES = 64;
// KVM's default VM IPA size when the host limit was not read (arch/arm64/kvm/reset.c).
const ASSUMED_IPA_BITS = 40;

export type CacheSizeLimit = "address-space" | "memmap-budget" | "default-cap" | "working-set";

export type CacheSizeInput = {
  guest: GuestProfile;
  hostIpaBits: number | null;
  daxCapableStack: boolean;
};

export type CacheSizeRecommendation = {
  bytes: number;
  human: string; // CH size syntax: "512M", "2G"
  limitedBy: CacheSizeLimit;
  explanation: string;
  forDaxCapableVmm: boolean; // true = the installed stack cannot use it; label it so
  apertureBytes: number; // A before headroom, per device
  memmapCapBytes: number; // C
  workingSetFloorBytes: number | null; // F
  maxPhysBits: number; // pb used
  maxPhysBitsAdvice: number | null; // recommend --cpus max_phys_bits=<n>
  ipaAssumed: boolean;
  warning: string | null;
  chArgument: string;
  kataSetting: string;
};

export function largestPowerOfTwoAtMost(n: number): number {
  if (!(n >= 1)) return 0;
  return 2 ** Math.floor(Math.log2(n));
}

function smallestPowerOfTwoAtLeast(n: number): number {
  return n <= 1 ? 1 : 2 ** Math.ceil(Math.log2(n));
}

export function formatCacheSize(bytes: number): string {
  return bytes >= GiB && bytes % GiB === 0 ? `${bytes / GiB}G` : `${Math.round(bytes / MiB)}M`;
}

function approx(bytes: number): string {
  return bytes >= 10 * TiB ? `~${Math.round(bytes / TiB)} TiB` : `~${Math.round(bytes / GiB)} GiB`;
}

function plainSize(bytes: number): string {
  if (bytes >= GiB && bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes >= MiB) return `${+(bytes / MiB).toFixed(1)} MiB`;
  return `${+(bytes / KiB).toFixed(1)} KiB`;
}

/** Step 1: aperture per device (rounded down to 4 GiB, before the 1 GiB headroom). */
export function deviceAperture(physBits: number, ramBytes: number, devices: number): number {
  const ramEnd = ramBytes <= LOW_RAM_MAX ? RAM_START + ramBytes : HIGH_RAM_START + (ramBytes - LOW_RAM_MAX);
  const start = Math.max(HIGH_RAM_START, ramEnd);
  const end = 2 ** physBits - DEVICE_AREA_TOP_GAP;
  const span = Math.max(0, end - start);
  return (Math.floor(span / (4 * GiB)) * 4 * GiB) / Math.max(1, devices);
}

export function recommendCacheSize(input: CacheSizeInput): CacheSizeRecommendation {
  const { guest } = input;
  const R = guest.ramMiB * MiB;
  const Pg = guest.pageSize;
  const V = guest.vaBits;
  const n = Math.max(1, guest.devices);
  const f = guest.memmapBudgetPct / 100;
  const ipaAssumed = input.hostIpaBits === null;
  const I = input.hostIpaBits ?? ASSUMED_IPA_BITS;

  // Step 1 + 2: the window is allocated top-down; if the guest physical space reaches
  // past the guest's linear map (1 GiB + 2^(V-1)) the window may not be mappable.
  let pb = Math.min(I, CH_DEFAULT_MAX_PHYS_BITS);
  let maxPhysBitsAdvice: number | null = null;
  if (2 ** pb > RAM_START + 2 ** (V - 1)) {
    maxPhysBitsAdvice = V - 1;
    pb = Math.min(pb, V - 1);
  }
  const A = deviceAperture(pb, R, n);
  const usableA = Math.max(0, A - OTHER_BARS_HEADROOM);
  // Step 3: memmap budget.
  const C = (f * R * Pg) / STRUCT_PAGE_BYTES;
  // Step 4: working-set floor.
  const W = guest.workingSetMiB === null ? null : guest.workingSetMiB * MiB;
  const F = W === null ? null : Math.ceil(W / DAX_RANGE / (1 - RECLAIM_FREE_FRACTION)) * DAX_RANGE;

  // Step 5.
  const limits: Array<[CacheSizeLimit, number]> = [
    ["address-space", usableA],
    ["memmap-budget", C],
    ["default-cap", DEFAULT_CAP],
  ];
  let [limitedBy, limit] = limits.reduce((a, b) => (b[1] < a[1] ? b : a));
  let bytes = largestPowerOfTwoAtMost(limit);
  if (F !== null && F > bytes && F > DEFAULT_CAP) {
    const target = smallestPowerOfTwoAtLeast(F);
    if (target <= Math.min(usableA, C)) {
      bytes = target;
      limitedBy = "working-set";
      limit = target;
    } else {
      bytes = largestPowerOfTwoAtMost(Math.min(usableA, C));
      limitedBy = usableA < C ? "address-space" : "memmap-budget";
    }
  }
  // Below one 2 MiB DAX range there is no window at all (reported as 0 with a WARN).
  if (bytes < DAX_RANGE) bytes = 0;
  const human = formatCacheSize(bytes);

  const floor = Math.max(F ?? 0, MIN_WINDOW);
  const below = F !== null && F > MIN_WINDOW ? `the working-set floor ${plainSize(F)}` : "the 64 MiB minimum";
  const warning =
    bytes < floor ? `window ${human} is below ${below}: raise guest RAM, use 64K guest pages, or skip DAX` : null;

  const memmap = (bytes / Pg) * STRUCT_PAGE_BYTES;
  const pct = +((memmap / R) * 100).toFixed(1);
  const ipaText = ipaAssumed ? `IPA unknown, assumed ${I}` : `IPA ${I}`;
  const parts = [
    `cache_size=${human} — guest ${plainSize(R)} with ${Pg / KiB}K pages: memmap ${plainSize(memmap)} (${pct} % of RAM)`,
    `aperture ${approx(A)} at ${ipaText}${n > 1 ? ` per device (${n} devices)` : ""}`,
  ];
  if (maxPhysBitsAdvice !== null)
    parts.push(
      `guest VA_BITS ${V}: set --cpus max_phys_bits=${maxPhysBitsAdvice} so the window stays inside the guest linear map`,
    );
  const why: Record<CacheSizeLimit, string> = {
    "address-space": "limited by the guest physical address space",
    "memmap-budget": `limited by the ${guest.memmapBudgetPct} % memmap budget (${plainSize(C)})`,
    "default-cap": "capped at CH's historical 8 GiB default",
    "working-set": `raised to cover the working set (floor ${F === null ? "n/a" : plainSize(F)})`,
  };
  parts.push(why[limitedBy]);
  if (F !== null) parts.push(`working-set floor ${plainSize(F)}`);
  let explanation = parts.join("; ");
  if (!input.daxCapableStack)
    explanation += " — for a DAX-capable VMM (the installed stack cannot create a DAX window)";

  const cpusArg = maxPhysBitsAdvice !== null ? ` --cpus max_phys_bits=${maxPhysBitsAdvice}` : "";
  return {
    bytes,
    human,
    limitedBy,
    explanation,
    forDaxCapableVmm: !input.daxCapableStack,
    apertureBytes: A,
    memmapCapBytes: C,
    workingSetFloorBytes: F,
    maxPhysBits: pb,
    maxPhysBitsAdvice,
    ipaAssumed,
    warning,
    chArgument: `--fs tag=<tag>,socket=<socket>,dax=on,cache_size=${human}${cpusArg}`,
    kataSetting: `virtio_fs_cache_size = ${Math.round(bytes / MiB)}`,
  };
}
