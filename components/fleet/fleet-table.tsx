"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { useHostList } from "../hosts/host-queries";
import { Alert } from "../ui/alert";
import { inputClass } from "../ui/field";
import { Button } from "../ui/button";
import { VerdictBadge } from "../hosts/verdict-badge";
import { timeAgo } from "@/lib/client/time-ago";

const COLUMNS = [
  { key: "name", label: "Name" },
  { key: "address", label: "Address" },
  { key: "verdict", label: "Verdict" },
  { key: "product", label: "Product" },
  { key: "lastScanAt", label: "Last scan" },
] as const;

// The fleet list. Filters, sort and page live in the URL so a view can be shared as a link.
export function FleetTable({ canRegister }: { canRegister: boolean }) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const q = search.get("q") ?? "";
  const tag = search.get("tag") ?? "";
  const sort = search.get("sort") ?? "name";
  const page = Math.max(1, Number(search.get("page") ?? "1") || 1);
  const pageSize = 50;
  const [text, setText] = useState(q);

  function setParams(next: Record<string, string | undefined>) {
    const params = new URLSearchParams(search.toString());
    for (const [k, v] of Object.entries(next)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    router.replace(`${pathname}?${params.toString()}`, { scroll: false });
  }

  useEffect(() => {
    const t = setTimeout(() => {
      if (text !== q) setParams({ q: text || undefined, page: undefined });
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text]);

  const { data, error, isPending, isFetching } = useHostList({ page, pageSize, q: q || undefined, tag: tag || undefined, sort });
  const pages = data ? Math.max(1, Math.ceil(data.total / pageSize)) : 1;
  const filtered = Boolean(q || tag);

  function toggleSort(key: string) {
    setParams({ sort: sort === key ? `-${key}` : key, page: undefined });
  }

  return (
    <section aria-labelledby="hosts-heading" className="space-y-3">
      <div className="flex flex-wrap items-end gap-2">
        <h2 id="hosts-heading" className="mr-auto text-lg font-semibold">
          Hosts {data ? <span className="text-sm font-normal text-slate-500">({data.total})</span> : null}
        </h2>
        <label className="sr-only" htmlFor="host-search">
          Search hosts
        </label>
        <input id="host-search" type="search" placeholder="Search name, address, product…" value={text} onChange={(e) => setText(e.target.value)} className={`${inputClass} max-w-xs`} />
        {tag ? (
          <Button variant="secondary" onClick={() => setParams({ tag: undefined, page: undefined })} aria-label={`Remove tag filter ${tag}`}>
            tag: {tag} ✕
          </Button>
        ) : null}
      </div>

      {error ? <Alert>Could not load hosts: {error.message}</Alert> : null}

      {isPending ? (
        <p className="py-8 text-center text-sm text-slate-500">Loading hosts…</p>
      ) : data && data.total === 0 && !filtered ? (
        <div className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700" data-testid="empty-fleet">
          <p className="text-base font-medium">No hosts yet</p>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            Register an arm64 server with its SSH address and a read-only user. DAXboard connects, runs one read-only probe and tells you whether virtio-fs DAX can work there.
          </p>
          {canRegister ? (
            <Link href="/hosts/new" className="mt-4 inline-block rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700">
              Register your first host
            </Link>
          ) : (
            <p className="mt-3 text-sm">Ask an operator to register hosts.</p>
          )}
        </div>
      ) : data ? (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <table className="w-full text-left text-sm" aria-busy={isFetching}>
            <thead className="bg-slate-100 text-xs uppercase text-slate-600 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                {COLUMNS.map((c) => {
                  const dir = sort === c.key ? "ascending" : sort === `-${c.key}` ? "descending" : "none";
                  return (
                    <th key={c.key} scope="col" aria-sort={dir} className="px-3 py-2">
                      <button type="button" onClick={() => toggleSort(c.key)} className="inline-flex items-center gap-1 font-semibold uppercase">
                        {c.label}
                        <span aria-hidden>{dir === "ascending" ? "▲" : dir === "descending" ? "▼" : ""}</span>
                      </button>
                    </th>
                  );
                })}
                <th scope="col" className="px-3 py-2">
                  Tags
                </th>
              </tr>
            </thead>
            <tbody>
              {data.hosts.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-3 py-6 text-center text-slate-500">
                    No hosts match these filters.
                  </td>
                </tr>
              ) : (
                data.hosts.map((h) => (
                  <tr key={h.id} className="border-t border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/50">
                    <td className="px-3 py-2 font-medium">
                      <Link href={`/hosts/${h.id}`} className="text-sky-700 hover:underline dark:text-sky-400">
                        {h.name}
                      </Link>
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">
                      {h.username}@{h.address}
                      {h.port !== 22 ? `:${h.port}` : ""}
                    </td>
                    <td className="px-3 py-2">
                      <VerdictBadge verdict={h.verdict} scanned={h.lastScanAt !== null} stale={h.stale} />
                    </td>
                    <td className="px-3 py-2">{h.product ?? <span className="text-slate-400">—</span>}</td>
                    <td className="px-3 py-2 text-slate-500">{h.lastScanAt ? timeAgo(h.lastScanAt) : "never"}</td>
                    <td className="px-3 py-2">
                      <div className="flex flex-wrap gap-1">
                        {h.tags.map((t) => (
                          <button key={t} type="button" onClick={() => setParams({ tag: t, page: undefined })} className="rounded bg-slate-200 px-1.5 py-0.5 text-xs hover:bg-slate-300 dark:bg-slate-700">
                            {t}
                          </button>
                        ))}
                      </div>
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
          <div className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-sm dark:border-slate-800">
            <span className="text-slate-500">
              Page {page} of {pages}
            </span>
            <div className="flex gap-2">
              <Button variant="secondary" disabled={page <= 1} onClick={() => setParams({ page: String(page - 1) })}>
                Previous
              </Button>
              <Button variant="secondary" disabled={page >= pages} onClick={() => setParams({ page: String(page + 1) })}>
                Next
              </Button>
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}
