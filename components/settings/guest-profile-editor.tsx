"use client";

import { useState, type ChangeEvent, type FormEvent, type ReactNode } from "react";
import { ApiError } from "@/lib/client/api";
import type { ProfileView, ReassessRun } from "@/lib/client/dto";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, inputClass, TextInput } from "../ui/field";
import { configLineCount, fromDraft, NEW_PROFILE_DRAFT, toDraft, type Draft } from "./guest-profile-draft";
import { useCreateProfile, useUpdateProfile } from "./guest-profile-queries";

type Props = {
  profile: ProfileView | null; // null: a new tag profile
  canEdit: boolean;
  onSaved: (run: ReassessRun) => void;
  onCancel: () => void;
};

function Check({
  id,
  checked,
  onChange,
  children,
}: {
  id: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label htmlFor={id} className="flex items-start gap-2 text-sm">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} className="mt-1" />
      <span>{children}</span>
    </label>
  );
}

// One guest profile's fields (DOMAIN.md §4-5, §7 B-C). Saving answers at once; the hosts the profile covers are
// re-assessed from stored facts in the background, and the caller shows that run's progress.
export function GuestProfileEditor({ profile, canEdit, onSaved, onCancel }: Props) {
  const create = useCreateProfile();
  const update = useUpdateProfile();
  const save = profile ? update : create;
  const isDefault = profile?.isDefault ?? false;
  const [draft, setDraft] = useState<Draft>(() => (profile ? toDraft(profile) : NEW_PROFILE_DRAFT));
  const p = `gp-${profile?.id ?? "new"}`; // input ids stay unique while several profiles are listed
  const label = profile ? `Guest profile ${profile.name}` : "New guest profile";

  const set = (k: keyof Draft) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft({ ...draft, [k]: e.target.value });
  const error = save.error instanceof ApiError ? save.error : null;
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  async function onConfig(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) setDraft({ ...draft, kernelConfig: await file.text() });
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = fromDraft(draft, isDefault);
    const done = ({ run }: { run: ReassessRun }) => onSaved(run);
    if (profile) update.mutate({ id: profile.id, body }, { onSuccess: done });
    else create.mutate(body, { onSuccess: done });
  }
  const lines = configLineCount(draft.kernelConfig);

  return (
    <form onSubmit={onSubmit} aria-label={label} className="space-y-4" data-testid={`${p}-form`}>
      <fieldset disabled={!canEdit} className="space-y-4">
        {isDefault ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            The default profile judges every host no tag profile covers.
          </p>
        ) : (
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Profile name" htmlFor={`${p}-name`} error={fieldError("name")}>
              <TextInput id={`${p}-name`} value={draft.name} onChange={set("name")} invalid={!!fieldError("name")} />
            </Field>
            <Field
              label="Host tags"
              htmlFor={`${p}-tags`}
              error={fieldError("tags")}
              hint="Hosts with any of these tags are judged against this profile (space-separated)."
            >
              <TextInput
                id={`${p}-tags`}
                value={draft.tags}
                onChange={set("tags")}
                invalid={!!fieldError("tags")}
                placeholder="inference gpu"
              />
            </Field>
          </div>
        )}
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="Guest RAM (MiB)" htmlFor={`${p}-ram`} error={fieldError("ramMiB")}>
            <TextInput id={`${p}-ram`} type="number" min={64} value={draft.ramMiB} onChange={set("ramMiB")} />
          </Field>
          <Field label="Guest page size" htmlFor={`${p}-page`}>
            <select id={`${p}-page`} value={draft.pageSize} onChange={set("pageSize")} className={inputClass}>
              <option value="4096">4K</option>
              <option value="16384">16K</option>
              <option value="65536">64K</option>
            </select>
          </Field>
          <Field label="Guest VA_BITS" htmlFor={`${p}-va`}>
            <select id={`${p}-va`} value={draft.vaBits} onChange={set("vaBits")} className={inputClass}>
              {[39, 42, 47, 48, 52].map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </Field>
          <Field label="virtio-fs devices" htmlFor={`${p}-devices`}>
            <TextInput
              id={`${p}-devices`}
              type="number"
              min={1}
              max={64}
              value={draft.devices}
              onChange={set("devices")}
            />
          </Field>
          <Field label="Hot working set (MiB)" htmlFor={`${p}-ws`} hint="Optional; raises the window floor.">
            <TextInput
              id={`${p}-ws`}
              type="number"
              min={0}
              value={draft.workingSetMiB}
              onChange={set("workingSetMiB")}
              placeholder="not set"
            />
          </Field>
          <Field label="Memmap budget (% of RAM)" htmlFor={`${p}-memmap`}>
            <TextInput
              id={`${p}-memmap`}
              type="number"
              step="any"
              min={0.1}
              max={50}
              value={draft.memmapBudgetPct}
              onChange={set("memmapBudgetPct")}
            />
          </Field>
          <Field label="Guest kernel version" htmlFor={`${p}-kernel`} error={fieldError("kernelVersion")}>
            <TextInput
              id={`${p}-kernel`}
              value={draft.kernelVersion}
              onChange={set("kernelVersion")}
              placeholder="6.1"
            />
          </Field>
          <Field label="DAX filesystem on the pmem image" htmlFor={`${p}-fs`}>
            <select id={`${p}-fs`} value={draft.fsType} onChange={set("fsType")} className={inputClass}>
              <option value="erofs">erofs (uncompressed)</option>
              <option value="ext4">ext4</option>
            </select>
          </Field>
          <Field
            label="pmem image size (MiB)"
            htmlFor={`${p}-image`}
            hint="Optional; each guest may grow by up to this."
            error={fieldError("imageSizeMiB")}
          >
            <TextInput
              id={`${p}-image`}
              type="number"
              min={1}
              value={draft.imageSizeMiB}
              onChange={set("imageSizeMiB")}
              placeholder="not set"
            />
          </Field>
        </div>
        <div className="space-y-2">
          <Check
            id={`${p}-daxfix`}
            checked={draft.daxFixBackported}
            onChange={(v) => setDraft({ ...draft, daxFixBackported: v })}
          >
            Guest kernel carries the fs/dax fix (“fs/dax: check zero or empty entry before converting xarray entry”),
            e.g. a distro backport: clears the 6.15+ arm64 DAX oops for virtio-pmem.
          </Check>
          <Check
            id={`${p}-ksm`}
            checked={draft.ksmRiskAccepted}
            onChange={(v) => setDraft({ ...draft, ksmRiskAccepted: v })}
          >
            Accept KSM’s cost: ksmd CPU and cross-VM timing side channels between these guests.
          </Check>
        </div>
      </fieldset>
      <div className="space-y-1 text-sm">
        <p className="font-medium">Guest kernel .config</p>
        <p className="text-slate-600 dark:text-slate-400" data-testid="kernel-config-state">
          {draft.kernelConfig
            ? `Uploaded: ${lines} CONFIG_ lines, checked for virtio-fs DAX (rule 13) and virtio-pmem + DAX
              (VIRTIO_PMEM, LIBNVDIMM, FS_DAX, ZONE_DEVICE, EROFS/EXT4…).`
            : "None uploaded: the guest kernel symbols of virtio-fs DAX and virtio-pmem are not checked."}
        </p>
        {canEdit ? (
          <div className="flex flex-wrap items-center gap-2">
            <input type="file" aria-label="Upload guest kernel .config" onChange={onConfig} className="text-sm" />
            {draft.kernelConfig ? (
              <Button variant="ghost" onClick={() => setDraft({ ...draft, kernelConfig: null })}>
                Remove .config
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      {save.error && !error?.field ? <Alert>{save.error.message}</Alert> : null}
      <div className="flex flex-wrap gap-2">
        {canEdit ? (
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : profile ? "Save guest profile" : "Create guest profile"}
          </Button>
        ) : null}
        <Button variant="ghost" onClick={onCancel}>
          {canEdit ? "Cancel" : "Close"}
        </Button>
      </div>
    </form>
  );
}
