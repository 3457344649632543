// The guest profile form's state: inputs hold strings, the API takes numbers, booleans and lists.
import type { ProfileView } from "@/lib/client/dto";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "@/lib/readiness/guest-profile";
import type { ProfileBody } from "./guest-profile-queries";

export type Draft = Record<
  | "name"
  | "tags"
  | "ramMiB"
  | "pageSize"
  | "vaBits"
  | "devices"
  | "workingSetMiB"
  | "memmapBudgetPct"
  | "kernelVersion"
  | "fsType"
  | "imageSizeMiB",
  string
> & { kernelConfig: string | null; daxFixBackported: boolean; ksmRiskAccepted: boolean };

const optionalNumber = (text: string) => (text.trim() === "" ? null : Number(text));

export function toDraft(p: Partial<ProfileView> & GuestProfile): Draft {
  return {
    name: p.name ?? "",
    tags: (p.tags ?? []).join(" "),
    ramMiB: String(p.ramMiB),
    pageSize: String(p.pageSize),
    vaBits: String(p.vaBits),
    devices: String(p.devices),
    workingSetMiB: p.workingSetMiB === null ? "" : String(p.workingSetMiB),
    memmapBudgetPct: String(p.memmapBudgetPct),
    kernelVersion: p.kernelVersion,
    kernelConfig: p.kernelConfig,
    fsType: p.fsType,
    imageSizeMiB: p.imageSizeMiB === null ? "" : String(p.imageSizeMiB),
    daxFixBackported: p.daxFixBackported,
    ksmRiskAccepted: p.ksmRiskAccepted,
  };
}

export const NEW_PROFILE_DRAFT: Draft = toDraft(DEFAULT_GUEST_PROFILE);

// Tags are typed as one line, split on spaces or commas, as the host form takes them.
export function fromDraft(d: Draft, isDefault: boolean): ProfileBody {
  return {
    name: isDefault ? "default" : d.name.trim(),
    tags: isDefault ? [] : d.tags.split(/[\s,]+/).filter(Boolean),
    ramMiB: Number(d.ramMiB),
    pageSize: Number(d.pageSize) as GuestProfile["pageSize"],
    vaBits: Number(d.vaBits) as GuestProfile["vaBits"],
    devices: Number(d.devices),
    workingSetMiB: optionalNumber(d.workingSetMiB),
    memmapBudgetPct: Number(d.memmapBudgetPct),
    kernelVersion: d.kernelVersion.trim(),
    kernelConfig: d.kernelConfig,
    fsType: d.fsType === "ext4" ? "ext4" : "erofs",
    imageSizeMiB: optionalNumber(d.imageSizeMiB),
    daxFixBackported: d.daxFixBackported,
    ksmRiskAccepted: d.ksmRiskAccepted,
  };
}

export function configLineCount(config: string | null): number {
  return config ? config.split("\n").filter((l) => /^CONFIG_/.test(l)).length : 0;
}
