import type { CheckView } from "@/lib/client/dto";

const GROUPS = [
  { id: "platform", title: "Platform", blurb: "Can a KVM microVM with virtio-fs run here, and would a window fit?" },
  { id: "stack", title: "Software stack", blurb: "Can the installed VMM and daemon actually give a DAX window?" },
  { id: "guest", title: "Guest", blurb: "Does the fleet's guest profile support a DAX mount?" },
] as const;

const STATUS: Record<string, { icon: string; className: string; label: string }> = {
  PASS: {
    icon: "✓",
    label: "pass",
    className: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100",
  },
  WARN: { icon: "!", label: "warning", className: "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100" },
  FAIL: { icon: "✕", label: "fail", className: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100" },
  UNKNOWN: {
    icon: "?",
    label: "unknown",
    className: "border border-dashed border-slate-400 text-slate-700 dark:text-slate-200",
  },
  INFO: { icon: "i", label: "info", className: "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100" },
};

// The check's group is the prefix of its stable id ("platform.kvm", "stack.virtiofsd", "guest.kernel-config").
export function checkGroup(id: string): string {
  return id.split(".")[0] ?? "platform";
}

export function StatusPill({ status }: { status: string }) {
  const s = STATUS[status] ?? STATUS.UNKNOWN;
  return (
    <span
      data-status={status}
      className={`inline-flex w-20 shrink-0 items-center justify-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ${s.className}`}
    >
      <span aria-hidden>{s.icon}</span>
      {status}
    </span>
  );
}

// `testId` differs where one check can be drawn twice on a page (a path's checks repeat rules 10–12).
export function CheckItem({ check, testId = `check-${check.id}` }: { check: CheckView; testId?: string }) {
  return (
    <li
      data-testid={testId}
      data-status={check.status}
      className="border-t border-slate-100 py-3 first:border-t-0 dark:border-slate-800"
    >
      <div className="flex flex-wrap items-start gap-2">
        <StatusPill status={check.status} />
        <div className="min-w-0 flex-1 space-y-1">
          <h4 className="font-medium">{check.title}</h4>
          <p className="text-sm">{check.reason}</p>
          {check.remediation ? (
            <p className="text-sm text-slate-700 dark:text-slate-300">
              <span className="font-semibold">Fix: </span>
              {check.remediation}
            </p>
          ) : null}
          {check.evidence.length > 0 ? (
            <table className="mt-1 w-full max-w-3xl text-xs">
              <caption className="sr-only">Evidence for {check.title}</caption>
              <thead className="text-left text-slate-500">
                <tr>
                  <th scope="col" className="pr-3 font-medium">
                    Fact
                  </th>
                  <th scope="col" className="pr-3 font-medium">
                    Value
                  </th>
                  <th scope="col" className="font-medium">
                    Probe section
                  </th>
                </tr>
              </thead>
              <tbody>
                {check.evidence.map((e, i) => (
                  <tr key={`${e.fact}-${i}`}>
                    <td className="pr-3 align-top">{e.fact}</td>
                    <td className="pr-3 align-top font-mono break-all">
                      {e.value ?? <span className="text-slate-400 italic">unknown</span>}
                    </td>
                    <td className="align-top font-mono text-slate-500">{e.section ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {check.source ? (
            <a
              href={check.source}
              target="_blank"
              rel="noreferrer noopener"
              className="inline-block text-xs text-sky-700 hover:underline dark:text-sky-400"
            >
              Source<span className="sr-only"> for {check.title}</span> ↗
            </a>
          ) : null}
        </div>
      </div>
    </li>
  );
}

// Every check with its status, reason, fix, evidence and source, grouped platform / software stack / guest.
export function CheckList({ checks }: { checks: CheckView[] }) {
  if (checks.length === 0)
    return <p className="text-sm text-slate-500">No checks: this host has not been assessed yet.</p>;
  return (
    <div className="space-y-5">
      {GROUPS.map((group) => {
        const items = checks.filter((c) => checkGroup(c.id) === group.id);
        if (items.length === 0) return null;
        const counts = items.reduce<Record<string, number>>(
          (acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }),
          {},
        );
        return (
          <section key={group.id} aria-labelledby={`checks-${group.id}`} data-testid={`check-group-${group.id}`}>
            <h3
              id={`checks-${group.id}`}
              className="text-sm font-semibold tracking-wide text-slate-700 uppercase dark:text-slate-300"
            >
              {group.title}{" "}
              <span className="font-normal tracking-normal normal-case text-slate-500">
                —{" "}
                {Object.entries(counts)
                  .map(([s, n]) => `${n} ${STATUS[s]?.label ?? s}`)
                  .join(", ")}
              </span>
            </h3>
            <p className="text-xs text-slate-500">{group.blurb}</p>
            <ul>
              {items.map((c) => (
                <CheckItem key={c.id} check={c} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
