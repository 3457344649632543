// The fleet-wide guest profile (DOMAIN.md §4 "Guest profile", §5 inputs).
import { z } from "zod";

export const guestProfileSchema = z.object({
  ramMiB: z
    .number()
    .int()
    .min(64)
    .max(16 * 1024 * 1024),
  pageSize: z.union([z.literal(4096), z.literal(16384), z.literal(65536)]),
  vaBits: z.union([z.literal(39), z.literal(42), z.literal(47), z.literal(48), z.literal(52)]),
  devices: z.number().int().min(1).max(64),
  workingSetMiB: z
    .number()
    .int()
    .min(0)
    .max(1024 * 1024 * 1024)
    .nullable(),
  memmapBudgetPct: z.number().gt(0).max(50),
  kernelVersion: z.string().regex(/^\d+\.\d+(\.\d+)?$/, "kernel version like 6.1 or 5.15.0"),
  kernelConfig: z.string().max(2_000_000).nullable(),
  // Added for the zero-copy paths (issue 13); optional so profiles saved before, and the JSON `npm run assess --
  // --guest-profile` took before, stay valid.
  fsType: z.enum(["erofs", "ext4"]).default("erofs"), // the DAX filesystem on a virtio-pmem image
  imageSizeMiB: z
    .number()
    .int()
    .min(1)
    .max(16 * 1024 * 1024)
    .nullable()
    .default(null), // pmem image, for the growth warning
  daxFixBackported: z.boolean().default(false), // the guest kernel carries "fs/dax: check zero or empty entry…"
  ksmRiskAccepted: z.boolean().default(false), // the operator accepts KSM's CPU and cross-VM side-channel cost
});

export type GuestProfile = z.infer<typeof guestProfileSchema>;

// Defaults from DOMAIN.md §4: 2 GiB RAM, 4K pages, VA_BITS 48, one virtio-fs
// device, kernel 6.1; memmap budget 2 % of guest RAM (§5).
export const DEFAULT_GUEST_PROFILE: GuestProfile = {
  ramMiB: 2048,
  pageSize: 4096,
  vaBits: 48,
  devices: 1,
  workingSetMiB: null,
  memmapBudgetPct: 2,
  kernelVersion: "6.1",
  kernelConfig: null,
  fsType: "erofs",
  imageSizeMiB: null,
  daxFixBackported: false,
  ksmRiskAccepted: false,
};
