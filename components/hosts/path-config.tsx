import type { PathView } from "@/lib/client/dto";
import { Snippet } from "../ui/copy-button";

type Config = NonNullable<PathView["config"]>;

// A path's paste-ready configuration: the host commands and the guest commands as one copyable block each, and the
// notes that must travel with them (write caveat, memory cgroup advice) as plain text beside them.
export function PathConfig({ pathId, title, config }: { pathId: string; title: string; config: Config }) {
  const blocks = [
    { key: "host", heading: "On the host", lines: config.host },
    { key: "guest", heading: "In the guest", lines: config.guest },
  ].filter((b) => b.lines.length > 0);
  if (blocks.length === 0 && config.notes.length === 0) return null;
  return (
    <div className="space-y-2" data-testid={`path-config-${pathId}`}>
      <h4 className="text-sm font-semibold">Configuration to paste</h4>
      {blocks.map((b) => (
        <div key={b.key} className="space-y-1" data-testid={`path-config-${pathId}-${b.key}`}>
          <h5 className="text-xs font-medium tracking-wide text-slate-600 uppercase dark:text-slate-400">
            {b.heading}
          </h5>
          <Snippet text={b.lines.join("\n")} label={`Copy the ${b.key} commands for ${title}`} />
        </div>
      ))}
      {config.notes.length > 0 ? (
        <ul
          role="note"
          aria-label={`Notes for ${title}`}
          className="list-disc space-y-1 rounded-md border border-amber-300 bg-amber-50 py-2 pr-3 pl-7 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          {config.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
