import type { CacheSizeView } from "@/lib/client/dto";
import { formatBytes } from "@/lib/client/format";
import { Snippet } from "../ui/copy-button";

const LIMIT_TEXT: Record<string, string> = {
  "address-space": "the guest physical address space (host IPA / max_phys_bits)",
  "memmap-budget": "the guest's memmap budget (struct page cost)",
  "default-cap": "Cloud Hypervisor's old 8 GiB default",
  "working-set": "the working set you declared",
};

// The recommended DAX window with its arithmetic (DOMAIN.md §5) and paste-ready CH and Kata forms.
export function CacheSizePanel({ cacheSize, verdict }: { cacheSize: CacheSizeView | null; verdict: string | null }) {
  if (!cacheSize) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="cache-size-none">
        {verdict === "not-ready"
          ? "No recommendation: a platform check failed, so no DAX window can be used here."
          : verdict === "n/a"
            ? "No recommendation: not an arm64 host."
            : "No recommendation yet: it needs a successful scan."}
      </p>
    );
  }
  return (
    <div className="space-y-3" data-testid="cache-size">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <p className="text-3xl font-semibold tabular-nums">
          <span className="sr-only">Recommended cache_size </span>
          {cacheSize.human}
        </p>
        <p className="text-sm text-slate-500">
          {cacheSize.bytes.toLocaleString()} bytes ({formatBytes(cacheSize.bytes)}) · limited by{" "}
          {LIMIT_TEXT[cacheSize.limitedBy] ?? cacheSize.limitedBy}
        </p>
      </div>
      {cacheSize.forDaxCapableVmm ? (
        <p
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
          data-testid="cache-size-label"
        >
          For a DAX-capable VMM: the installed stack cannot use a DAX window. This is the size to use with a legacy pair
          (Cloud Hypervisor ≤ v22.1 with virtiofsd ≤ 1.12).
        </p>
      ) : null}
      <div>
        <h3 className="text-sm font-semibold">How it was worked out</h3>
        <p className="text-sm whitespace-pre-line" data-testid="cache-size-explanation">
          {cacheSize.explanation}
        </p>
      </div>
      {cacheSize.warning ? (
        <p
          role="note"
          className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <strong>Warning:</strong> {cacheSize.warning}
        </p>
      ) : null}
      <div className="space-y-2">
        <h3 className="text-sm font-semibold">Cloud Hypervisor (legacy CH ≤ v22.1)</h3>
        <Snippet text={cacheSize.chArgument} label="Copy the Cloud Hypervisor --fs argument" />
        <h3 className="text-sm font-semibold">Kata Containers (configuration.toml)</h3>
        <Snippet text={cacheSize.kataSetting} label="Copy the Kata setting" />
      </div>
    </div>
  );
}
