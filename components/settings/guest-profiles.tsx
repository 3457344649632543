"use client";

import { useState } from "react";
import type { ProfileView, ReassessRun } from "@/lib/client/dto";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { GuestProfileEditor } from "./guest-profile-editor";
import { useDeleteProfile, useGuestProfiles, useReorderProfiles } from "./guest-profile-queries";
import { ReassessProgress } from "./reassess-progress";

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;

type RowProps = {
  profile: ProfileView;
  canEdit: boolean;
  open: boolean;
  onToggle: () => void;
  onMove: ((by: -1 | 1) => void) | null; // null for the default, which always comes last
  first: boolean;
  last: boolean;
  busy: boolean;
  onSaved: (run: ReassessRun) => void;
};

const GAP_PATHS = [
  ["virtiofs-dax", "virtio-fs DAX"],
  ["pmem-dax", "virtio-pmem + DAX fs"],
] as const;

// What the uploaded guest .config lacks for each path, so an admin sees at a glance which path this guest can take.
function ConfigGaps({ profile }: { profile: ProfileView }) {
  const gaps = profile.configGaps;
  if (!gaps)
    return (
      <p className="px-3 pb-2 text-xs text-slate-500" data-testid="config-gaps">
        No guest .config uploaded: the kernel options of each path are not checked.
      </p>
    );
  return (
    <ul
      className="space-y-0.5 px-3 pb-2 text-xs"
      data-testid="config-gaps"
      aria-label={`Guest .config of ${profile.name}`}
    >
      {GAP_PATHS.map(([id, title]) => (
        <li key={id} data-path={id}>
          <span className="font-medium">{title}:</span>{" "}
          {gaps[id].length === 0 ? (
            <span className="text-emerald-700 dark:text-emerald-400">✓ every option it needs is set</span>
          ) : (
            <span className="text-red-700 dark:text-red-400">✗ lacks {gaps[id].join(", ")}</span>
          )}
        </li>
      ))}
      {gaps.pmemRecommended.length ? (
        <li className="text-slate-500">recommended for virtio-pmem on arm64: {gaps.pmemRecommended.join(", ")}</li>
      ) : null}
    </ul>
  );
}

function ProfileRow({ profile, canEdit, open, onToggle, onMove, first, last, busy, onSaved }: RowProps) {
  const remove = useDeleteProfile();
  const [confirming, setConfirming] = useState(false);
  const bodyId = `profile-body-${profile.id}`;
  return (
    <li data-testid={`profile-${profile.name}`} className="rounded-md border border-slate-200 dark:border-slate-800">
      <div className="flex flex-wrap items-center gap-2 px-3 py-2">
        <h3 className="font-medium">{profile.name}</h3>
        {profile.isDefault ? (
          <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs dark:bg-slate-700">default</span>
        ) : (
          <span className="flex flex-wrap gap-1" aria-label={`Tags of ${profile.name}`}>
            {profile.tags.map((t) => (
              <span
                key={t}
                className="rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-800 dark:bg-sky-900 dark:text-sky-100"
              >
                {t}
              </span>
            ))}
          </span>
        )}
        <span className="mr-auto text-sm text-slate-500" data-testid="host-count">
          {plural(profile.hostCount, "host")}
        </span>
        {canEdit && onMove ? (
          <>
            <Button
              variant="ghost"
              disabled={first || busy}
              onClick={() => onMove(-1)}
              aria-label={`Move ${profile.name} up`}
            >
              ↑
            </Button>
            <Button
              variant="ghost"
              disabled={last || busy}
              onClick={() => onMove(1)}
              aria-label={`Move ${profile.name} down`}
            >
              ↓
            </Button>
          </>
        ) : null}
        <Button variant="secondary" aria-expanded={open} aria-controls={bodyId} onClick={onToggle}>
          {canEdit ? "Edit" : "Details"}
          <span className="sr-only"> {profile.name}</span>
        </Button>
        {canEdit && !profile.isDefault ? (
          confirming ? (
            <>
              <Button
                variant="danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate(profile.id, { onSuccess: ({ run }) => onSaved(run) })}
              >
                Delete {profile.name}: its hosts fall to the next matching profile
              </Button>
              <Button variant="ghost" onClick={() => setConfirming(false)}>
                Keep
              </Button>
            </>
          ) : (
            <Button variant="ghost" onClick={() => setConfirming(true)} aria-label={`Delete ${profile.name}`}>
              Delete
            </Button>
          )
        ) : null}
      </div>
      <ConfigGaps profile={profile} />
      {remove.error ? <Alert>{remove.error.message}</Alert> : null}
      {open ? (
        <div id={bodyId} className="border-t border-slate-100 px-3 py-3 dark:border-slate-800">
          <GuestProfileEditor profile={profile} canEdit={canEdit} onSaved={onSaved} onCancel={onToggle} />
        </div>
      ) : null}
    </li>
  );
}

// The named guest profiles (issue 13): each host is judged against the first profile, in this order, sharing one
// of its tags, else the default. Every change re-assesses the hosts it touches in the background.
export function GuestProfiles({ canEdit }: { canEdit: boolean }) {
  const list = useGuestProfiles();
  const reorder = useReorderProfiles();
  const [openId, setOpenId] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  if (list.isPending) return <p className="text-sm text-slate-500">Loading the guest profiles…</p>;
  if (list.error) return <Alert>Could not load the guest profiles: {list.error.message}</Alert>;

  const { profiles, activeRun } = list.data;
  const tagProfiles = profiles.filter((p) => !p.isDefault);
  const shownRun = runId ?? activeRun?.id ?? null;
  function onSaved(run: ReassessRun) {
    setRunId(run.id);
    setOpenId(null);
  }
  function move(id: string, by: -1 | 1) {
    const ids = tagProfiles.map((p) => p.id);
    const from = ids.indexOf(id);
    [ids[from], ids[from + by]] = [ids[from + by], ids[from]];
    reorder.mutate(ids, { onSuccess: ({ run }) => setRunId(run.id) });
  }

  return (
    <div className="space-y-3">
      {shownRun ? <ReassessProgress runId={shownRun} /> : null}
      {reorder.error ? <Alert>Could not reorder: {reorder.error.message}</Alert> : null}
      <ol className="space-y-2" aria-label="Guest profiles, first match wins">
        {profiles.map((p) => {
          const index = tagProfiles.indexOf(p);
          return (
            <ProfileRow
              key={p.id}
              profile={p}
              canEdit={canEdit}
              open={openId === p.id}
              onToggle={() => setOpenId(openId === p.id ? null : p.id)}
              onMove={p.isDefault ? null : (by) => move(p.id, by)}
              first={index === 0}
              last={index === tagProfiles.length - 1}
              busy={reorder.isPending}
              onSaved={onSaved}
            />
          );
        })}
      </ol>
      {canEdit ? (
        openId === "new" ? (
          <section aria-label="New guest profile" className="rounded-md border border-sky-300 p-3 dark:border-sky-800">
            <GuestProfileEditor profile={null} canEdit onSaved={onSaved} onCancel={() => setOpenId(null)} />
          </section>
        ) : (
          <Button variant="secondary" onClick={() => setOpenId("new")}>
            New tag profile
          </Button>
        )
      ) : null}
    </div>
  );
}
