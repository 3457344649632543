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
  rule: number;
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
