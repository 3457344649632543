import type { ScanErrorView } from "@/lib/client/dto";

// A failed scan's class, message and fix hint (titles and hints come from lib/ssh/errors.ts via the API).
export function ScanError({ error }: { error: ScanErrorView }) {
  return (
    <div
      data-testid="scan-error-detail"
      data-error-class={error.class}
      className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <p className="font-semibold">
        {error.title} <span className="font-mono text-xs font-normal">({error.class})</span>
      </p>
      {error.message ? <p>{error.message}</p> : null}
      {error.hint ? (
        <p className="mt-1">
          <span className="font-semibold">Fix: </span>
          {error.hint}
        </p>
      ) : null}
      {error.detail?.stderrTail ? (
        <pre className="mt-1 max-h-32 overflow-auto rounded bg-red-100 p-2 text-xs dark:bg-red-900/50">
          {error.detail.stderrTail}
        </pre>
      ) : null}
    </div>
  );
}
