"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import { formatUtc } from "@/lib/client/format";
import { AuditDetail, summarizeDetail } from "./audit-detail";
import type { AuditEventView } from "./audit-queries";

const cell = "px-3 py-2 align-top";

function Target({ event }: { event: AuditEventView }) {
  if (!event.targetType && !event.targetId) return <span className="text-slate-400">—</span>;
  return (
    <span>
      {event.targetType ?? ""}
      {event.targetId ? (
        <span className="block font-mono text-xs break-all text-slate-500 dark:text-slate-400">{event.targetId}</span>
      ) : null}
    </span>
  );
}

function Host({ event }: { event: AuditEventView }) {
  if (!event.hostId && !event.hostName) return <span className="text-slate-400">—</span>;
  const name = event.hostName ?? event.hostId;
  // The event outlives the host: the link may lead to a host that is gone, the name is as it was then.
  return event.hostId ? (
    <Link href={`/hosts/${event.hostId}`} className="text-sky-700 hover:underline dark:text-sky-400">
      {name}
    </Link>
  ) : (
    <span>{name}</span>
  );
}

// The audit events as a table; each row's detail opens below it with a disclosure button.
const COLUMNS = ["Time (UTC)", "Actor", "Action", "Host", "Target", "Detail"];

export function AuditTable({ events }: { events: AuditEventView[] }) {
  const [open, setOpen] = useState<Set<string>>(() => new Set());
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <table className="w-full rounded-lg border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
      <caption className="sr-only">Audit events, newest first</caption>
      <thead className="bg-slate-100 text-left text-xs uppercase dark:bg-slate-800">
        <tr>
          {COLUMNS.map((name) => (
            <th key={name} scope="col" className="px-3 py-2">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const expanded = open.has(e.id);
          const detailId = `audit-detail-${e.id}`;
          return (
            <Fragment key={e.id}>
              <tr className="border-t border-slate-100 dark:border-slate-800" data-testid="audit-row">
                <td className={`${cell} whitespace-nowrap tabular-nums`}>
                  <time dateTime={e.at}>{formatUtc(e.at)}</time>
                </td>
                <td className={cell}>
                  <span className="break-all">{e.actorLabel}</span>
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{e.actorType}</span>
                </td>
                <td className={cell}>
                  <code className="font-mono text-xs break-all">{e.action}</code>
                </td>
                <td className={cell}>
                  <Host event={e} />
                </td>
                <td className={cell}>
                  <Target event={e} />
                </td>
                <td className={cell}>
                  <div className="flex items-start gap-2">
                    <span className="min-w-0 flex-1 break-words text-slate-600 dark:text-slate-300">
                      {summarizeDetail(e.detail)}
                    </span>
                    <button
                      type="button"
                      aria-expanded={expanded}
                      aria-controls={expanded ? detailId : undefined}
                      onClick={() => toggle(e.id)}
                      className="shrink-0 rounded px-1.5 py-0.5 text-xs text-sky-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-500 dark:text-sky-400 dark:hover:bg-slate-800"
                    >
                      {expanded ? "Hide" : "Details"}
                      <span className="sr-only">
                        {" "}
                        of {e.action} at {formatUtc(e.at)}
                      </span>
                    </button>
                  </div>
                </td>
              </tr>
              {expanded ? (
                <tr id={detailId} className="bg-slate-50 dark:bg-slate-950">
                  <td colSpan={6} className="px-3 py-2">
                    <AuditDetail detail={e.detail} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
