// cache_size: the worked examples of DOMAIN.md §5, exactly.
import { describe, expect, it } from "vitest";
import { deviceAperture, recommendCacheSize } from "@/lib/readiness/cache-size";
import { DEFAULT_GUEST_PROFILE, guestProfileSchema, type GuestProfile } from "@/lib/readiness/guest-profile";

const GiB = 2 ** 30;
const MiB = 2 ** 20;
const TiB = 2 ** 40;
const rec = (g: Partial<GuestProfile>, ipa: number | null = 40, capable = true) =>
  recommendCacheSize({ guest: { ...DEFAULT_GUEST_PROFILE, ...g }, hostIpaBits: ipa, daxCapableStack: capable });

describe("recommendCacheSize (DOMAIN.md §5)", () => {
  it("512 MiB guest → 512M (memmap budget)", () => {
    const r = rec({ ramMiB: 512 });
    expect(r.bytes).toBe(512 * MiB);
    expect(r.human).toBe("512M");
    expect(r.limitedBy).toBe("memmap-budget");
    expect(r.kataSetting).toBe("virtio_fs_cache_size = 512");
  });

  it("2 GiB 4K guest → 2G, with the arithmetic and paste-ready forms", () => {
    const r = rec({});
    expect(r.bytes).toBe(2 * GiB);
    expect(r.human).toBe("2G");
    expect(r.limitedBy).toBe("memmap-budget");
    expect(r.memmapCapBytes).toBeCloseTo(1.28 * 2 * GiB, 0);
    expect(r.explanation).toMatch(
      /^cache_size=2G — guest 2 GiB with 4K pages: memmap 32 MiB \(1\.6 % of RAM\); aperture ~1016 GiB at IPA 40/,
    );
    expect(r.chArgument).toBe("--fs tag=<tag>,socket=<socket>,dax=on,cache_size=2G");
    expect(r.kataSetting).toBe("virtio_fs_cache_size = 2048");
    expect(r.warning).toBeNull();
    expect(r.forDaxCapableVmm).toBe(false);
  });

  it("2 GiB 64K guest → 8G (default cap)", () => {
    const r = rec({ pageSize: 65536 });
    expect(r.human).toBe("8G");
    expect(r.limitedBy).toBe("default-cap");
  });

  it("aperture ≈ 1016 GiB at IPA 40, ≈ 16 TiB at 44, ≈ 64 TiB at 48 (capped at 46 bits)", () => {
    expect(rec({}, 40).apertureBytes).toBe(1016 * GiB);
    expect(Math.round(rec({}, 44).apertureBytes / TiB)).toBe(16);
    const r48 = rec({}, 48);
    expect(r48.maxPhysBits).toBe(46);
    expect(Math.round(r48.apertureBytes / TiB)).toBe(64);
  });

  it("aperture ≈ 56 GiB at IPA 36 with 4 GiB RAM (RAM continues at 4 GiB past 3008 MiB)", () => {
    expect(deviceAperture(36, 4 * GiB, 1)).toBe(56 * GiB);
    expect(rec({ ramMiB: 4096 }, 36).apertureBytes).toBe(56 * GiB);
  });

  it("a 39-bit-VA guest → max_phys_bits=38 advice and a recomputed aperture", () => {
    const r = rec({ vaBits: 39 }, 40);
    expect(r.maxPhysBitsAdvice).toBe(38);
    expect(r.maxPhysBits).toBe(38);
    expect(r.apertureBytes).toBe(248 * GiB);
    expect(r.chArgument).toContain("--cpus max_phys_bits=38");
    expect(r.explanation).toMatch(/max_phys_bits=38/);
    expect(rec({ vaBits: 48 }, 40).maxPhysBitsAdvice).toBeNull();
  });

  it("splits the aperture between devices", () => {
    expect(rec({ devices: 2 }, 40).apertureBytes).toBe(508 * GiB);
  });

  it("small address space limits the window", () => {
    const r = rec({ ramMiB: 4096, pageSize: 65536 }, 34);
    expect(r.apertureBytes).toBe(8 * GiB);
    expect(r.limitedBy).toBe("address-space");
    expect(r.human).toBe("4G");
  });

  it("no room at all → 0 with a WARN", () => {
    const r = rec({ ramMiB: 4096 }, 33);
    expect(r.bytes).toBe(0);
    expect(r.warning).toMatch(/64 MiB minimum/);
  });

  it("working-set floor: WARN when the window is too small", () => {
    const r = rec({ workingSetMiB: 4096 });
    expect(r.workingSetFloorBytes).toBe(Math.ceil(4096 / 2 / 0.8) * 2 * MiB);
    expect(r.human).toBe("2G");
    expect(r.warning).toMatch(/working-set floor/);
  });

  it("working set above 8 GiB lifts the cap when memmap allows", () => {
    const r = rec({ ramMiB: 16384, pageSize: 65536, workingSetMiB: 12 * 1024 });
    expect(r.limitedBy).toBe("working-set");
    expect(r.human).toBe("16G");
    expect(r.warning).toBeNull();
  });

  it("labels the result for a DAX-capable VMM when the stack cannot do DAX", () => {
    const r = rec({}, 40, false);
    expect(r.forDaxCapableVmm).toBe(true);
    expect(r.explanation).toMatch(/for a DAX-capable VMM/);
  });

  it("unknown IPA assumes 40 bits and says so", () => {
    const r = rec({}, null);
    expect(r.ipaAssumed).toBe(true);
    expect(r.explanation).toMatch(/IPA unknown, assumed 40/);
  });

  it("results are powers of two", () => {
    for (const ramMiB of [64, 100, 768, 1500, 3000, 5000, 65536])
      for (const pageSize of [4096, 16384, 65536] as const) {
        const b = rec({ ramMiB, pageSize }).bytes;
        expect(Number.isInteger(Math.log2(b))).toBe(true);
      }
  });
});

describe("guest profile schema", () => {
  it("accepts the default and rejects nonsense", () => {
    expect(guestProfileSchema.parse(DEFAULT_GUEST_PROFILE)).toEqual(DEFAULT_GUEST_PROFILE);
    expect(DEFAULT_GUEST_PROFILE).toMatchObject({
      ramMiB: 2048,
      pageSize: 4096,
      vaBits: 48,
      devices: 1,
      kernelVersion: "6.1",
      memmapBudgetPct: 2,
    });
    expect(guestProfileSchema.safeParse({ ...DEFAULT_GUEST_PROFILE, pageSize: 8192 }).success).toBe(false);
    expect(guestProfileSchema.safeParse({ ...DEFAULT_GUEST_PROFILE, kernelVersion: "six" }).success).toBe(false);
  });
});
