"use client";

import { useState } from "react";
import { Button } from "./button";

// Copies `text`; the confirmation is announced to screen readers.
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2_000);
  }
  return (
    <Button variant="secondary" onClick={copy} aria-label={label} className="shrink-0 px-2 py-1 text-xs">
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}</span>
    </Button>
  );
}

// A one-line command or setting with its copy button.
export function Snippet({ text, label }: { text: string; label: string }) {
  return (
    <div className="flex items-start gap-2 rounded-md bg-slate-900 px-3 py-2 text-slate-100 dark:bg-black">
      <code className="min-w-0 flex-1 overflow-x-auto font-mono text-xs leading-5 break-all whitespace-pre-wrap">
        {text}
      </code>
      <CopyButton text={text} label={label} />
    </div>
  );
}
