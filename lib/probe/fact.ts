// Small helpers to build facts and to read sections with their failure reason.
import type { ProbeDocument } from "./document";
import type { Confidence, KnownFact, UnknownFact, UnknownReason } from "./types";

export function known<T>(value: T, source: string, confidence: Confidence = "high", note?: string): KnownFact<T> {
  return note === undefined
    ? { known: true, value, source, confidence }
    : { known: true, value, source, confidence, note };
}

export function unknown(reason: UnknownReason, detail: string, source?: string): UnknownFact {
  return source === undefined ? { known: false, reason, detail } : { known: false, reason, detail, source };
}

export type SectionRead = { ok: true; body: string; name: string } | { ok: false; fact: UnknownFact };

const DENIED_RE = /permission denied|operation not permitted|not permitted|EACCES|EPERM/i;

/** A section usable for parsing, or the unknown-reason to report when it is not. */
export function readSection(doc: ProbeDocument, name: string): SectionRead {
  const s = doc.sections.get(name);
  if (!s) return { ok: false, fact: unknown("not-collected", `section '${name}' is not in the document`) };
  if (s.rc !== null && s.rc !== 0) {
    const first = firstLine(s.body).slice(0, 200);
    const reason: UnknownReason = DENIED_RE.test(s.body) ? "permission-denied" : "not-collected";
    return {
      ok: false,
      fact: unknown(reason, `section '${name}' failed (rc=${s.rc})${first ? `: ${first}` : ""}`, name),
    };
  }
  return { ok: true, body: s.body, name };
}

/** "key=value" lines → record (first occurrence wins). */
export function keyValues(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of body.split("\n")) {
    const i = line.indexOf("=");
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    if (k && !(k in out)) out[k] = line.slice(i + 1).trim();
  }
  return out;
}

/** "Key : value" lines (cpuinfo, lscpu, meminfo) → record of the first occurrence. */
export function colonFields(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of body.split("\n")) {
    const i = line.indexOf(":");
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    if (k && !(k in out)) out[k] = line.slice(i + 1).trim();
  }
  return out;
}

/** The first line that is not blank, trimmed. Found without splitting the body: it may be 1 MiB of newlines. */
export function firstLine(body: string): string {
  const at = body.search(/\S/);
  if (at < 0) return "";
  const end = body.indexOf("\n", at);
  return body.slice(body.lastIndexOf("\n", at) + 1, end < 0 ? undefined : end).trim();
}
