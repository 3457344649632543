// Path B, guest side (DOMAIN.md §7 B): the guest kernel config and version from the guest profile, the image
// rules, and the caveats that always travel with this path.
import { check, prose } from "../check";
import { GUEST_PMEM_RECOMMENDED, pmemRequiredConfig } from "../guest-config";
import { SOURCES } from "../sources";
import type { Check } from "../types";
import { pathBase, type PathContext } from "./path-check";

export function rulePmemGuestConfig(ctx: PathContext): Check {
  const cfg = ctx.guestKconfig;
  const required = pmemRequiredConfig(ctx.guest);
  const keys = [...required, ...GUEST_PMEM_RECOMMENDED];
  const evidence = cfg
    ? keys.map((k) => ({ fact: `guest.${k}`, value: cfg[k] ?? null, section: "guest kernel config" }))
    : [];
  const base = pathBase("pmem.guest-config", "Guest kernel config (pmem)", SOURCES.pmemKconfig, evidence);
  if (cfg === null)
    return check({
      ...base,
      status: "INFO",
      reason: "no guest kernel config uploaded: virtio-pmem and DAX options not checked",
      remediation: `upload the guest .config to check ${required.join(", ")}`,
    });
  const missing = required.filter((k) => cfg[k] !== "y" && cfg[k] !== "m");
  if (missing.length) {
    const erofs = missing.includes("CONFIG_EROFS_FS")
      ? " (CH's own arm64 guest config, ch_defconfig, lacks EROFS)"
      : "";
    return check({
      ...base,
      status: "FAIL",
      reason: `guest config lacks ${missing.join(", ")} for virtio-pmem + ${ctx.guest.fsType} DAX${erofs}`,
      remediation: `enable ${missing.join(", ")} in the guest kernel (CONFIG_ND_PFN is not needed)`,
    });
  }
  const absent = GUEST_PMEM_RECOMMENDED.filter((k) => cfg[k] !== "y");
  if (absent.length)
    return check({
      ...base,
      status: "WARN",
      reason: `guest config lacks ${absent.join(", ")}: Firecracker's pmem guide calls it needed for DAX on aarch64`,
      remediation: `set ${absent.join(", ")}=y in the guest kernel`,
      source: SOURCES.firecrackerPmem,
    });
  return check({
    ...base,
    status: "PASS",
    reason: `guest config has every option virtio-pmem + ${ctx.guest.fsType} DAX needs`,
  });
}

type KernelVersion = { major: number; minor: number; patch: number | null };

function parseKernelVersion(v: string): KernelVersion | null {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
  return m ? { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? null : Number(m[3]) } : null;
}

const before = (v: KernelVersion, major: number, minor: number) =>
  v.major < major || (v.major === major && v.minor < minor);

// Stable series that received "fs/dax: check zero or empty entry before converting xarray entry" (stable-rc
// queues, medium confidence); mainline has it from the 2026-09 merge window, i.e. 7.3.
const FIXED_STABLE: Record<string, number> = { "6.18": 54, "7.2": 8 };
const FIXED_MAINLINE = { major: 7, minor: 3 };

// The fs/dax refcount change 38607c62b34b (6.15) makes arm64 guests oops in dax_disassociate_entry on the first
// DAX fault; this generic fs/dax path likely hits virtio-fs DAX guests too (medium).
export function rulePmemGuestKernel(ctx: PathContext): Check {
  const { kernelVersion, daxFixBackported } = ctx.guest;
  const base = pathBase("pmem.guest-kernel", "Guest kernel version (fs/dax)", SOURCES.fsDaxRegression, [
    { fact: "guest.kernelVersion", value: kernelVersion, section: null },
    { fact: "guest.daxFixBackported", value: String(daxFixBackported), section: null },
  ]);
  const v = parseKernelVersion(kernelVersion);
  if (!v) return check({ ...base, status: "UNKNOWN", reason: `guest kernel version '${kernelVersion}' unreadable` });
  const series = `${v.major}.${v.minor}`;
  const fixRemedy = prose`use 6.18.54+, 7.2.8+ or 7.3+, a kernel before 6.15 (e.g. 6.12 LTS), or a distro kernel
    that backported "fs/dax: check zero or empty entry before converting xarray entry" (then tick the checkbox)`;
  if (before(v, 5, 7))
    return check({
      ...base,
      status: "FAIL",
      reason: `guest kernel ${series}: FS_DAX became possible on arm64 only in 5.7`,
      remediation: "use a guest kernel from 5.10 up to 6.14 (e.g. 6.6 or 6.12 LTS), or a fixed newer one",
      source: SOURCES.fuseDax,
    });
  if (before(v, 6, 15))
    return check({
      ...base,
      status: "PASS",
      reason: prose`guest kernel ${series} predates the fs/dax change (6.15) that oopses arm64 guests on the first
        DAX fault`,
    });
  if (daxFixBackported)
    return check({
      ...base,
      status: "PASS",
      reason: prose`guest kernel ${kernelVersion} is in the fs/dax regression range, but the profile says it
        carries the fix`,
      source: SOURCES.fsDaxFix,
    });
  if (!before(v, FIXED_MAINLINE.major, FIXED_MAINLINE.minor))
    return check({
      ...base,
      status: "PASS",
      reason: `guest kernel ${series} has the fs/dax fix (mainline since the 2026-09 merge window; medium confidence)`,
      source: SOURCES.fsDaxFix,
    });
  const fixedPatch = FIXED_STABLE[series];
  if (fixedPatch !== undefined && v.patch === null)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `guest kernel ${series} without a patch level: ${series}.${fixedPatch} and later carry the fs/dax fix`,
      remediation: `give the full guest kernel version (e.g. ${series}.${fixedPatch}), or tick the backport checkbox`,
    });
  if (fixedPatch !== undefined && v.patch !== null && v.patch >= fixedPatch)
    return check({
      ...base,
      status: "PASS",
      reason: `guest kernel ${kernelVersion} ≥ ${series}.${fixedPatch} carries the fs/dax fix (stable queue; medium)`,
      source: SOURCES.fsDaxFix,
    });
  return check({
    ...base,
    status: "FAIL",
    reason: prose`guest kernel ${kernelVersion} is in the fs/dax regression range (6.15 up to the fixed stable
      releases): arm64 guests oops in dax_disassociate_entry on the first DAX fault`,
    remediation: fixRemedy,
  });
}

export function rulePmemFilesystem(ctx: PathContext): Check {
  const page = ctx.guest.pageSize;
  const rules =
    ctx.guest.fsType === "erofs"
      ? prose`erofs image: block size = guest page size (mkfs.erofs -b ${page}), uncompressed files only
          (-Enoinline_data, no -z: erofs DAX skips compressed files)`
      : `ext4 image: block size = guest page size (mkfs.ext4 -b ${page}), else "unsupported blocksize for DAX"`;
  return check({
    ...pathBase("pmem.filesystem", "DAX filesystem image", SOURCES.erofsDax, [
      { fact: "guest.fsType", value: ctx.guest.fsType, section: null },
      { fact: "guest.pageSize", value: String(page), section: null },
    ]),
    status: "INFO",
    reason: prose`${rules}; size a multiple of 2 MiB (CH refuses others: PmemSizeNotAligned; size= does not grow a
      file, so pad it with truncate); mount -o ro,dax=always so a missing DAX fails loudly`,
    source: ctx.guest.fsType === "erofs" ? SOURCES.erofsDax : SOURCES.chPmemDevice,
  });
}

export function rulePmemWriteCaveat(): Check {
  return check({
    ...pathBase("pmem.write-caveat", "Guest writes", SOURCES.pmemAdvisory),
    status: "INFO",
    reason: prose`a guest can write into its pmem mapping (GHSA-wwj6-vghv-5p64 / CVE-2026-24834); with
      discard_writes=on the write lands in that guest's private copy, so the host file and the other guests stay
      safe. DMA into pmem pages hangs (CH #8309): use it only as a mounted filesystem`,
    remediation: "always pass discard_writes=on and keep the image file read-only (chmod 0444)",
  });
}

// A guest that writes over its image keeps private copies of those pages: up to the image size on top of its RAM.
// From a quarter of its RAM on, that growth is as large as the slack a host is usually planned with per guest, so
// it is worth a WARN; below, the cgroup advice alone is enough.
const GROWTH_WARN_SHARE = 0.25;

export function rulePmemMemory(ctx: PathContext): Check {
  const { imageSizeMiB, ramMiB } = ctx.guest;
  const base = pathBase("pmem.memory", "Memory growth and cgroup", SOURCES.chPmemDevice, [
    { fact: "guest.imageSizeMiB", value: imageSizeMiB === null ? null : String(imageSizeMiB), section: null },
    { fact: "guest.ramMiB", value: String(ramMiB), section: null },
  ]);
  const cap = prose`cap each Cloud Hypervisor process's memory cgroup (e.g. systemd MemoryMax=) at guest RAM +
    image size + VMM overhead`;
  if (imageSizeMiB === null)
    return check({
      ...base,
      status: "INFO",
      reason: `each guest may grow by up to the image size if it writes over its image: ${cap}`,
      remediation: "set the image size in the guest profile to check the growth against guest RAM",
    });
  const share = imageSizeMiB / ramMiB;
  const pct = Math.round(share * 100);
  if (share >= GROWTH_WARN_SHARE)
    return check({
      ...base,
      status: "WARN",
      reason: prose`a guest could grow by up to ${imageSizeMiB} MiB (${pct} % of its ${ramMiB} MiB RAM) by writing
        over its image: from 25 % on, that is as large as the slack a host is usually planned with per guest`,
      remediation: cap,
    });
  return check({
    ...base,
    status: "INFO",
    reason: `a guest could grow by up to ${imageSizeMiB} MiB (${pct} % of its RAM) by writing over its image: ${cap}`,
  });
}
