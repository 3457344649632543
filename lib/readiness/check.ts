// Helpers for building checks with their evidence.
import type { Fact } from "../probe/types";
import type { Check, CheckGroup, CheckStatus, Evidence } from "./types";

export function evidence<T>(fact: string, f: Fact<T>, show: (v: T) => string = (v) => String(v)): Evidence {
  return f.known ? { fact, value: show(f.value), section: f.source } : { fact, value: null, section: f.source ?? null };
}

export function unknownText<T>(f: Fact<T>): string {
  return f.known ? "" : f.detail;
}

type CheckInput = {
  id: string;
  rule: number | null; // null for the §7 path checks
  group: CheckGroup;
  title: string;
  status: CheckStatus;
  evidence: readonly Evidence[];
  reason: string;
  remediation?: string | null;
  source: string;
};

export function check(c: CheckInput): Check {
  return { ...c, evidence: [...c.evidence], remediation: c.remediation ?? null };
}

/**
 * A message written over several source lines and read as one: each line break in the literal text, with the
 * indentation around it, becomes one space (interpolated values are kept as they are). Keeps rule text readable
 * in the source without 400-character lines.
 */
export function prose(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = "";
  strings.forEach((s, i) => {
    out += s.replace(/\s*\n\s*/g, " ");
    if (i < values.length) out += String(values[i]);
  });
  return out.trim();
}
