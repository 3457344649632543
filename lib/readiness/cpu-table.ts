// The project's CPU table: numeric (implementer, part) → core, products, class.
// Generated from shared/data/arm64-cpus.json (84 entries, each keeping its source)
// and extended where a real capture needed it (Apple M1/M2 Pro/Max parts, cited to
// Linux cputype.h). lscpuNames are util-linux model names (sys-utils/lscpu-arm.c)
// used only as a fallback when no numeric IDs were captured: DOMAIN.md §3 says
// numeric IDs always win over lscpu strings.

export type CpuClass = "server" | "embedded" | "client" | "unknown";

export type CpuTableEntry = {
  implementer: string;
  part: string;
  core: string;
  cpuClass: CpuClass;
  products: string[];
  source: string;
  confidence: string;
  notes: string;
  lscpuNames: string[];
};

const SOURCES = [
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20); Linux arch/arm64/include/asm/cputype.h (2026 copy)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20); Linux arch/arm64/include/asm/cputype.h (2026 copy); Wikipedia 'ARM Neoverse' (stored copy)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20) (brcm_part 'ThunderX2'); Linux arch/arm64/include/asm/cputype.h (2026 copy) (BRCM_CPU_PART_VULCAN)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20) (comment: used in Kunpeng-920 SoC; name changed across versions); Linux arch/arm64/include/asm/cputype.h (2026 copy) (HISI_CPU_PART_TSV110)",
  "Linux arch/arm64/include/asm/cputype.h (2026 copy) (HISI_CPU_PART_HIP09); util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20) (commit 4b53cfd3)",
  "Linux arch/arm64/include/asm/cputype.h (2026 copy) (HISI_CPU_PART_HIP12); util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20) (comment: HiSilicon uses this ID though advertises A76)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20); Linux arch/arm64/include/asm/cputype.h (2026 copy) (QCOM_CPU_PART_FALKOR_V1 == KRYO_2XX_GOLD == 0x800)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20); Linux arch/arm64/include/asm/cputype.h (2026 copy) (0x200)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20); Linux arch/arm64/include/asm/cputype.h (2026 copy) (QCOM_CPU_PART_ORYON_X1)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20) (ms_part); Linux arch/arm64/include/asm/cputype.h (2026 copy) (comment: based on r0p0 of Arm Neoverse N2)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20); Linux arch/arm64/include/asm/cputype.h (2026 copy) (AMPERE_CPU_PART_AMPERE1)",
  "util-linux sys-utils/lscpu-arm.c @39465c78 (2026-08-20); Linux arch/arm64/include/asm/cputype.h (2026 copy) (AMPERE_CPU_PART_AMPERE1A)",
  "Linux arch/arm64/include/asm/cputype.h (APPLE_CPU_PART_M1_*_PRO/_MAX, M2_*_PRO/_MAX); added by DAXboard, not in arm64-cpus.json",
] as const;

function e(
  implementer: string,
  part: string,
  core: string,
  cpuClass: CpuClass,
  products: string[],
  source: number,
  confidence: string,
  notes: string,
  lscpuNames: string[] = [],
): CpuTableEntry {
  return { implementer, part, core, cpuClass, products, source: SOURCES[source], confidence, notes, lscpuNames };
}

export const CPU_TABLE: readonly CpuTableEntry[] = [
  e("0x41", "0xd03", "Cortex-A53", "embedded", ["Raspberry Pi 3 (BCM2837)", "many SBC/embedded SoCs"], 0, "high (IDs) / medium (products)", "Armv8.0. Typical boards use GIC-400 (GICv2) -> Cloud Hypervisor cannot run."),
  e("0x41", "0xd04", "Cortex-A35", "embedded", [], 0, "high (IDs)", "Armv8.0 low-power core."),
  e("0x41", "0xd05", "Cortex-A55", "embedded", ["little cores of many phone/SBC SoCs (e.g. Rockchip RK3588)"], 0, "high (IDs) / low (products)", "Armv8.2."),
  e("0x41", "0xd07", "Cortex-A57", "unknown", ["NVIDIA Tegra X1 / Jetson TX1 / Jetson Nano", "AMD Opteron A1100 (Seattle)"], 0, "high (IDs) / low (products)", "Armv8.0; used in both embedded and early server parts -> decide class from DMI/ACPI/GIC evidence."),
  e("0x41", "0xd08", "Cortex-A72", "unknown", ["Raspberry Pi 4 (BCM2711)", "AWS Graviton (1st gen, a1 instances)", "NXP LX2160A"], 0, "high (IDs) / medium (products)", "Armv8.0; ambiguous: Pi 4 has GICv2 (no CH), Graviton 1 is an ACPI/GICv3 server."),
  e("0x41", "0xd09", "Cortex-A73", "client", ["phone SoCs"], 0, "high (IDs) / low (products)", "Armv8.0."),
  e("0x41", "0xd0a", "Cortex-A75", "client", ["phone SoCs"], 0, "high (IDs) / low (products)", "Armv8.2."),
  e("0x41", "0xd0b", "Cortex-A76", "embedded", ["Raspberry Pi 5 (BCM2712)", "Rockchip RK3588 (big cores)"], 0, "high (IDs) / medium (products)", "Armv8.2 (no S2FWB). Pi 5 uses GIC-400 (GICv2) and a 16K-page kernel by default."),
  e("0x41", "0xd0c", "Neoverse N1", "server", ["AWS Graviton2", "Ampere Altra", "Ampere Altra Max"], 1, "high (IDs) / medium (products)", "Armv8.2 (derived from A76): expect no Stage-2 FWB; PARange 48 bits typical (not verified here)."),
  e("0x41", "0xd0d", "Cortex-A77", "client", ["phone SoCs"], 0, "high (IDs)", "Armv8.2."),
  e("0x41", "0xd0e", "Cortex-A76AE", "embedded", ["automotive SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd40", "Neoverse V1", "server", ["AWS Graviton3", "AWS Graviton3E"], 1, "high (IDs) / medium (products)", "Armv8.4 (+parts of 8.6): Stage-2 FWB architecturally present."),
  e("0x41", "0xd41", "Cortex-A78", "client", ["phone SoCs"], 0, "high (IDs)", "Armv8.2. HiSilicon parts may report 0x48/0xd41 instead (see HiSilicon)."),
  e("0x41", "0xd42", "Cortex-A78AE", "embedded", ["NVIDIA Jetson AGX Orin", "Jetson Orin NX / Orin Nano"], 0, "high (IDs) / medium (products)", "Armv8.2."),
  e("0x41", "0xd43", "Cortex-A65AE", "embedded", [], 0, "high (IDs)", ""),
  e("0x41", "0xd44", "Cortex-X1", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd46", "Cortex-A510", "client", ["phone SoCs"], 0, "high (IDs)", "Armv9.0."),
  e("0x41", "0xd47", "Cortex-A710", "client", ["phone SoCs"], 0, "high (IDs)", "Armv9.0."),
  e("0x41", "0xd48", "Cortex-X2", "client", ["phone SoCs"], 0, "high (IDs)", "Armv9.0."),
  e("0x41", "0xd49", "Neoverse N2", "server", ["Alibaba Yitian 710"], 1, "high (IDs) / medium (products)", "Armv9.0. NOTE: Microsoft Azure Cobalt 100 is N2-derived but reports implementer 0x6d (see below)."),
  e("0x41", "0xd4a", "Neoverse E1", "embedded", ["networking/edge SoCs"], 0, "high (IDs) / low (products)", "Armv8.2 throughput core for infrastructure/edge."),
  e("0x41", "0xd4b", "Cortex-A78C", "client", ["laptop SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd4c", "Cortex-X1C", "client", ["laptop SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd4d", "Cortex-A715", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd4e", "Cortex-X3", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd4f", "Neoverse V2", "server", ["NVIDIA Grace", "AWS Graviton4", "Google Axion"], 1, "high (IDs) / medium (products)", "Armv9.0: Stage-2 FWB architecturally present. Grace systems often run 64K-page kernels."),
  e("0x41", "0xd80", "Cortex-A520", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd81", "Cortex-A720", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd82", "Cortex-X4", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd83", "Neoverse V3AE", "embedded", ["automotive SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd84", "Neoverse V3", "server", [], 1, "high (IDs)", "Armv9.2."),
  e("0x41", "0xd85", "Cortex-X925", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd87", "Cortex-A725", "client", ["phone SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd89", "Cortex-A720AE", "embedded", ["automotive SoCs"], 0, "high (IDs)", ""),
  e("0x41", "0xd8b", "C1-Pro", "client", [], 0, "high (IDs)", ""),
  e("0x41", "0xd8e", "Neoverse N3", "server", [], 0, "high (IDs)", "Armv9.2."),
  e("0x42", "0x516", "Vulcan / ThunderX2 (early)", "server", ["Broadcom Vulcan-based ThunderX2 samples"], 2, "high (IDs)", "Production ThunderX2 reports 0x43/0x0af."),
  e("0x42", "0x100", "Brahma-B53", "embedded", ["Broadcom set-top SoCs"], 0, "high (IDs)", ""),
  e("0x43", "0x0a1", "ThunderX (CN88xx)", "server", ["Cavium ThunderX"], 0, "high (IDs) / medium (products)", "", ["ThunderX-88XX"]),
  e("0x43", "0x0a2", "ThunderX 81xx", "embedded", ["Cavium ThunderX CN81xx"], 0, "high (IDs)", ""),
  e("0x43", "0x0a3", "ThunderX 83xx", "embedded", ["Cavium ThunderX CN83xx"], 0, "high (IDs)", ""),
  e("0x43", "0x0af", "ThunderX2 (CN99xx)", "server", ["Marvell/Cavium ThunderX2"], 0, "high (IDs) / medium (products)", "Armv8.1.", ["ThunderX2-99xx"]),
  e("0x43", "0x0b1", "OcteonTX2 98xx", "embedded", ["Marvell OCTEON TX2"], 0, "high (IDs)", ""),
  e("0x43", "0x0b2", "OcteonTX2 96xx", "embedded", ["Marvell OCTEON TX2"], 0, "high (IDs)", ""),
  e("0x43", "0x0b3", "OcteonTX2 95xx", "embedded", ["Marvell OCTEON TX2"], 0, "high (IDs)", ""),
  e("0x43", "0x0b8", "ThunderX3 T110", "server", ["Marvell ThunderX3 (not widely shipped)"], 3, "high (IDs) / low (products)", ""),
  e("0x46", "0x001", "A64FX", "server", ["Fujitsu A64FX (Fugaku, FX700/FX1000)"], 0, "high (IDs) / medium (products)", "Armv8.2 + SVE (HPC)."),
  e("0x46", "0x003", "MONAKA", "server", ["Fujitsu MONAKA"], 3, "high (IDs) / low (products)", ""),
  e("0x48", "0xd01", "TaiShan v110 (TSV110)", "server", ["HiSilicon Kunpeng 920"], 4, "high", "Armv8.2. lscpu shows 'Kunpeng-920' (<=2.39, main) or 'TaiShan-v110' (2.40-2.42).", ["Kunpeng-920", "TaiShan-v110"]),
  e("0x48", "0xd02", "HIP09 (util-linux 2.40-2.42: 'TaiShan-v120')", "unknown", ["newer HiSilicon Kunpeng 920-series server parts (util-linux main maps to Kunpeng-920)", "Kirin 990A / 9000S per util-linux 2.40 comment"], 5, "high (ID) / low (products)", "Sources disagree on products; decide class from DMI/ACPI evidence.", ["Kunpeng-920", "TaiShan-v120"]),
  e("0x48", "0xd03", "Kunpeng-920 (util-linux main)", "server", ["HiSilicon Kunpeng 920 variant"], 6, "medium (ID) / low (product)", "Not in Linux cputype.h.", ["Kunpeng-920"]),
  e("0x48", "0xd06", "HIP12 (util-linux main: Kunpeng-950)", "server", ["HiSilicon Kunpeng 950"], 7, "high (ID) / low (product)", "", ["Kunpeng-950"]),
  e("0x48", "0xd22", "Kunpeng-920 (util-linux main)", "server", ["HiSilicon Kunpeng 920 variant"], 6, "medium (ID) / low (product)", "Not in Linux cputype.h.", ["Kunpeng-920"]),
  e("0x48", "0xd40", "Cortex-A76 (HiSilicon-reported)", "client", ["HiSilicon Kirin phone SoCs"], 8, "high (ID)", ""),
  e("0x48", "0xd41", "Cortex-A77 (HiSilicon-reported)", "client", ["HiSilicon Kirin phone SoCs"], 3, "high (ID)", ""),
  e("0x4e", "0x000", "Denver", "embedded", ["NVIDIA Tegra K1 (64-bit)"], 3, "high (ID) / medium (product)", ""),
  e("0x4e", "0x003", "Denver 2", "embedded", ["NVIDIA Tegra X2 / Jetson TX2 (with Cortex-A57)"], 0, "high (ID) / medium (product)", ""),
  e("0x4e", "0x004", "Carmel", "embedded", ["NVIDIA Jetson AGX Xavier", "Jetson Xavier NX"], 0, "high (ID) / medium (products)", "Armv8.2."),
  e("0x4e", "0x010", "Olympus", "server", ["NVIDIA Vera CPU"], 0, "high (ID) / low (product)", "NVIDIA Grace uses Arm Neoverse V2 (0x41/0xd4f), not an NVIDIA part number."),
  e("0x50", "0x000", "X-Gene", "server", ["AppliedMicro X-Gene 1/2", "Ampere eMAG (X-Gene 3 lineage)"], 0, "high (ID) / low (products)", "Ampere Altra does NOT use this: it is Neoverse N1 (0x41/0xd0c)."),
  e("0x51", "0xc00", "Falkor", "server", ["Qualcomm Centriq 2400"], 0, "high (ID) / medium (product)", ""),
  e("0x51", "0x800", "Falkor V1 / Kryo 2xx Gold", "unknown", ["Qualcomm Centriq (early) / Snapdragon 835-class"], 9, "high (ID)", "Same part number used for two different designs."),
  e("0x51", "0x801", "Kryo 2xx Silver", "client", ["Snapdragon phone/laptop SoCs"], 0, "high (ID)", ""),
  e("0x51", "0x802", "Kryo 3xx Gold", "client", ["Snapdragon phone/laptop SoCs"], 0, "high (ID)", ""),
  e("0x51", "0x803", "Kryo 3xx Silver", "client", ["Snapdragon phone/laptop SoCs"], 0, "high (ID)", ""),
  e("0x51", "0x804", "Kryo 4xx Gold", "client", ["Snapdragon phone/laptop SoCs"], 0, "high (ID)", ""),
  e("0x51", "0x805", "Kryo 4xx Silver", "client", ["Snapdragon phone/laptop SoCs"], 0, "high (ID)", ""),
  e("0x51", "0x201", "Kryo", "client", ["Snapdragon 820/821"], 10, "high (ID)", "Linux defines QCOM_CPU_PART_KRYO as 0x200."),
  e("0x51", "0x001", "Oryon", "client", ["Qualcomm Snapdragon X Elite/Plus"], 11, "high (ID)", ""),
  e("0x53", "0x001", "Exynos M1", "client", ["Samsung Exynos phone SoCs"], 3, "high (ID)", "Also 0x002 (M3), 0x003 (M4), 0x004 (M5)."),
  e("0x61", "0x022", "Icestorm (M1 efficiency)", "client", ["Apple M1"], 0, "high (ID)", "Linux on Apple silicon (Asahi) uses 16K pages; the SoC has Apple's AIC instead of a GIC (KVM support relies on an emulated vGICv3 - low confidence, not verified here)."),
  e("0x61", "0x023", "Firestorm (M1 performance)", "client", ["Apple M1"], 0, "high (ID)", ""),
  e("0x61", "0x032", "Blizzard (M2 efficiency)", "client", ["Apple M2"], 0, "high (ID)", ""),
  e("0x61", "0x033", "Avalanche (M2 performance)", "client", ["Apple M2"], 0, "high (ID)", ""),
  e("0x6d", "0xd49", "Azure Cobalt 100 (Neoverse N2-based)", "server", ["Microsoft Azure Cobalt 100"], 12, "high", "Own implementer code 0x6d even though the core is N2-derived."),
  e("0x70", "0x660", "FTC660", "server", ["Phytium FT-2000/64-era"], 3, "high (ID) / low (product)", "util-linux keeps the kernel-provided vendor/model for Phytium (FL_FOLLOW_KERNEL)."),
  e("0x70", "0x661", "FTC661", "unknown", ["Phytium (FT-2000A era)"], 3, "high (ID) / low (product)", ""),
  e("0x70", "0x662", "FTC662", "server", ["Phytium FT-2000+/64"], 3, "high (ID) / low (product)", ""),
  e("0x70", "0x663", "FTC663", "unknown", ["Phytium FT-2000/4", "Phytium D2000", "Phytium S2500"], 3, "high (ID) / low (products)", "Used in both desktop and server parts."),
  e("0x70", "0x664", "FTC664", "unknown", ["Phytium (E2000 big cores?)"], 3, "high (ID) / low (product)", ""),
  e("0x70", "0x303", "FTC310", "embedded", ["Phytium E2000 (little cores?)"], 3, "high (ID) / low (product)", ""),
  e("0x70", "0x862", "FTC862", "server", ["Phytium S5000C?"], 3, "high (ID) / low (product)", ""),
  e("0xc0", "0xac3", "AmpereOne (Ampere-1)", "server", ["Ampere AmpereOne"], 13, "high (ID) / medium (product)", "Ampere Altra/Altra Max are Neoverse N1 (0x41/0xd0c), not 0xc0.", ["Ampere-1"]),
  e("0xc0", "0xac4", "AmpereOne (Ampere-1a)", "server", ["Ampere AmpereOne (later revision/family member)"], 14, "high (ID) / low (product)", "", ["Ampere-1a"]),
  e("0x61", "0x024", "Icestorm (M1 Pro efficiency)", "client", ["Apple M1 Pro"], 15, "high (IDs)", "Asahi Linux kernels use 16K pages; the SoC has Apple's AIC, not a GIC."),
  e("0x61", "0x025", "Firestorm (M1 Pro performance)", "client", ["Apple M1 Pro"], 15, "high (IDs)", "Asahi Linux kernels use 16K pages; the SoC has Apple's AIC, not a GIC."),
  e("0x61", "0x028", "Icestorm (M1 Max efficiency)", "client", ["Apple M1 Max"], 15, "high (IDs)", "Asahi Linux kernels use 16K pages; the SoC has Apple's AIC, not a GIC."),
  e("0x61", "0x029", "Firestorm (M1 Max performance)", "client", ["Apple M1 Max"], 15, "high (IDs)", "Asahi Linux kernels use 16K pages; the SoC has Apple's AIC, not a GIC."),
  e("0x61", "0x034", "Blizzard (M2 Pro efficiency)", "client", ["Apple M2 Pro"], 15, "high (IDs)", "Asahi Linux kernels use 16K pages; the SoC has Apple's AIC, not a GIC."),
  e("0x61", "0x035", "Avalanche (M2 Pro performance)", "client", ["Apple M2 Pro"], 15, "high (IDs)", "Asahi Linux kernels use 16K pages; the SoC has Apple's AIC, not a GIC."),
  e("0x61", "0x038", "Blizzard (M2 Max efficiency)", "client", ["Apple M2 Max"], 15, "high (IDs)", "Asahi Linux kernels use 16K pages; the SoC has Apple's AIC, not a GIC."),
];
