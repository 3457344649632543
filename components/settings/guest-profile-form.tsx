"use client";

import { useState, type ChangeEvent, type FormEvent } from "react";
import { DEFAULT_GUEST_PROFILE, type GuestProfile } from "@/lib/readiness/guest-profile";
import { ApiError } from "@/lib/client/api";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, inputClass, TextInput } from "../ui/field";
import { useGuestProfile, useSaveGuestProfile } from "./settings-queries";

type Draft = Record<
  "ramMiB" | "pageSize" | "vaBits" | "devices" | "workingSetMiB" | "memmapBudgetPct" | "kernelVersion",
  string
> & { kernelConfig: string | null };

const toDraft = (p: GuestProfile): Draft => ({
  ramMiB: String(p.ramMiB),
  pageSize: String(p.pageSize),
  vaBits: String(p.vaBits),
  devices: String(p.devices),
  workingSetMiB: p.workingSetMiB === null ? "" : String(p.workingSetMiB),
  memmapBudgetPct: String(p.memmapBudgetPct),
  kernelVersion: p.kernelVersion,
  kernelConfig: p.kernelConfig,
});

const fromDraft = (d: Draft): GuestProfile => ({
  ...DEFAULT_GUEST_PROFILE,
  ramMiB: Number(d.ramMiB),
  pageSize: Number(d.pageSize) as GuestProfile["pageSize"],
  vaBits: Number(d.vaBits) as GuestProfile["vaBits"],
  devices: Number(d.devices),
  workingSetMiB: d.workingSetMiB.trim() === "" ? null : Number(d.workingSetMiB),
  memmapBudgetPct: Number(d.memmapBudgetPct),
  kernelVersion: d.kernelVersion.trim(),
  kernelConfig: d.kernelConfig,
});

// The fleet-wide guest profile (DOMAIN.md §4-5). Saving re-assesses every host from stored facts, no rescan.
export function GuestProfileForm({ canEdit }: { canEdit: boolean }) {
  const profile = useGuestProfile();
  if (profile.isPending) return <p className="text-sm text-slate-500">Loading the guest profile…</p>;
  if (profile.error) return <Alert>Could not load the guest profile: {profile.error.message}</Alert>;
  return <GuestProfileEditor initial={profile.data} canEdit={canEdit} />;
}

function GuestProfileEditor({ initial, canEdit }: { initial: GuestProfile; canEdit: boolean }) {
  const save = useSaveGuestProfile();
  const [draft, setDraft] = useState<Draft>(() => toDraft(initial));

  const set = (k: keyof Draft) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
    setDraft({ ...draft, [k]: e.target.value });
  const fieldError = save.error instanceof ApiError && save.error.field ? save.error.field : null;
  async function onConfig(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) setDraft({ ...draft, kernelConfig: await file.text() });
  }
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate(fromDraft(draft));
  }
  const configLines = draft.kernelConfig ? draft.kernelConfig.split("\n").filter((l) => /^CONFIG_/.test(l)).length : 0;

  return (
    <form onSubmit={onSubmit} aria-label="Guest profile" className="space-y-4">
      <fieldset disabled={!canEdit} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field
          label="Guest RAM (MiB)"
          htmlFor="gp-ram"
          error={fieldError === "ramMiB" ? save.error?.message : undefined}
        >
          <TextInput id="gp-ram" type="number" min={64} value={draft.ramMiB} onChange={set("ramMiB")} />
        </Field>
        <Field label="Guest page size" htmlFor="gp-page">
          <select id="gp-page" value={draft.pageSize} onChange={set("pageSize")} className={inputClass}>
            <option value="4096">4K</option>
            <option value="16384">16K</option>
            <option value="65536">64K</option>
          </select>
        </Field>
        <Field label="Guest VA_BITS" htmlFor="gp-va">
          <select id="gp-va" value={draft.vaBits} onChange={set("vaBits")} className={inputClass}>
            {[39, 42, 47, 48, 52].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </Field>
        <Field label="virtio-fs devices" htmlFor="gp-devices">
          <TextInput id="gp-devices" type="number" min={1} max={64} value={draft.devices} onChange={set("devices")} />
        </Field>
        <Field label="Hot working set (MiB)" htmlFor="gp-ws" hint="Optional; raises the window floor.">
          <TextInput
            id="gp-ws"
            type="number"
            min={0}
            value={draft.workingSetMiB}
            onChange={set("workingSetMiB")}
            placeholder="not set"
          />
        </Field>
        <Field label="Memmap budget (% of RAM)" htmlFor="gp-memmap">
          <TextInput
            id="gp-memmap"
            type="number"
            step="0.1"
            min={0.1}
            max={50}
            value={draft.memmapBudgetPct}
            onChange={set("memmapBudgetPct")}
          />
        </Field>
        <Field
          label="Guest kernel version"
          htmlFor="gp-kernel"
          error={fieldError === "kernelVersion" ? save.error?.message : undefined}
        >
          <TextInput id="gp-kernel" value={draft.kernelVersion} onChange={set("kernelVersion")} placeholder="6.1" />
        </Field>
      </fieldset>
      <div className="space-y-1 text-sm">
        <p className="font-medium">Guest kernel .config</p>
        <p className="text-slate-600 dark:text-slate-400" data-testid="kernel-config-state">
          {draft.kernelConfig
            ? `Uploaded: ${configLines} CONFIG_ lines, checked by rule 13 (virtio-fs, FUSE_DAX, FS_DAX, ZONE_DEVICE, memory hotplug…).`
            : "None uploaded: rule 13 is not checked."}
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
      {save.error && !fieldError ? <Alert>{save.error.message}</Alert> : null}
      {save.data ? (
        <Alert tone="success">
          Saved. {save.data.reassessed.hosts} host{save.data.reassessed.hosts === 1 ? "" : "s"} re-assessed from their
          stored facts in {(save.data.reassessed.durationMs / 1000).toFixed(1)} s; {save.data.reassessed.verdictChanged}{" "}
          changed verdict.
        </Alert>
      ) : null}
      {canEdit ? (
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving and re-assessing…" : "Save guest profile"}
        </Button>
      ) : null}
    </form>
  );
}
