// Lookups over the project's CPU table (cpu-table.ts).
import { CPU_TABLE, type CpuTableEntry } from "./cpu-table";

// Implementer codes → vendor names as util-linux prints them in lscpu "Vendor ID"
// (sys-utils/lscpu-arm.c, hw_implementer[]); used only to read lscpu fallbacks.
export const IMPLEMENTER_VENDORS: Readonly<Record<string, string>> = {
  "0x41": "ARM",
  "0x42": "Broadcom",
  "0x43": "Cavium",
  "0x44": "DEC",
  "0x46": "FUJITSU",
  "0x48": "HiSilicon",
  "0x49": "Infineon",
  "0x4d": "Motorola/Freescale",
  "0x4e": "NVIDIA",
  "0x50": "APM",
  "0x51": "Qualcomm",
  "0x53": "Samsung",
  "0x56": "Marvell",
  "0x61": "Apple",
  "0x66": "Faraday",
  "0x69": "Intel",
  "0x6d": "Microsoft",
  "0x70": "Phytium",
  "0xc0": "Ampere",
};

/** "0x0D0C", "0xd0c", "3340" → "0xd0c"; the width follows the field (2 digits for implementers, 3 for parts). */
export function normalizeHexId(raw: string, width: 2 | 3): string | null {
  const s = raw.trim().toLowerCase();
  let n: number;
  if (/^0x[0-9a-f]+$/.test(s)) n = parseInt(s.slice(2), 16);
  else if (/^[0-9]+$/.test(s)) n = parseInt(s, 10);
  else return null;
  if (!Number.isFinite(n) || n < 0 || n >= 16 ** width) return null;
  return "0x" + n.toString(16).padStart(width, "0");
}

const byPair = new Map<string, CpuTableEntry>(CPU_TABLE.map((c) => [`${c.implementer}/${c.part}`, c]));

export function lookupCpu(implementer: string, part: string): CpuTableEntry | null {
  return byPair.get(`${implementer}/${part}`) ?? null;
}

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

export function implementerFromVendorName(vendor: string): string | null {
  const hex = normalizeHexId(vendor, 2);
  if (hex && /^0x/i.test(vendor.trim())) return hex;
  const v = squash(vendor);
  if (!v) return null;
  for (const [code, name] of Object.entries(IMPLEMENTER_VENDORS)) {
    if (squash(name) === v) return code;
  }
  return null;
}

/** Table entries an lscpu "Model name" can denote for an implementer (several when util-linux reused a name). */
export function entriesForLscpuName(implementer: string, modelName: string): CpuTableEntry[] {
  const m = squash(modelName);
  if (!m) return [];
  return CPU_TABLE.filter(
    (c) => c.implementer === implementer && (squash(c.core) === m || c.lscpuNames.some((n) => squash(n) === m)),
  );
}
