// Probe document format v1 → sections. Never throws: a damaged document yields
// the sections that could be read plus warnings (DOMAIN.md §2).
import { cleaningWarning, cleanProbeText } from "./clean-text";
import { isValidBoundaryToken } from "./constants";

export type ProbeSection = {
  name: string;
  rc: number | null; // null when the header's rc field was unreadable
  body: string;
};

export type ProbeDocument = {
  version: number | null;
  token: string | null;
  sections: Map<string, ProbeSection>; // first occurrence wins
  complete: boolean; // the closing --<token>-- line was seen
  warnings: string[];
  // The input as PostgreSQL can store it (cleanProbeText), so a caller stores what was parsed without cleaning twice.
  cleanText: string;
};

const HEADER_RE = /^daxboard-probe (\d+) boundary=(\S+)\s*$/;
const SECTION_HEADER_RE = /^(\S+)(?:\s+rc=(-?\d+))?/;
const MAX_WARNINGS = 50;
const HEADER_SEARCH_LINES = 50;

// Up to 1 MiB of text a hostile host controls goes through here, so the document is never split into lines:
// section boundaries are found with indexOf and bodies are slices of the text, linear with no per-line work.
export function parseProbeDocument(text: unknown): ProbeDocument {
  const doc: ProbeDocument = {
    version: null,
    token: null,
    sections: new Map(),
    complete: false,
    warnings: [],
    cleanText: "",
  };
  const warn = (w: string) => {
    if (doc.warnings.length < MAX_WARNINGS) doc.warnings.push(w);
  };
  if (typeof text !== "string") {
    warn("document is not text");
    return doc;
  }
  if (text.length === 0) {
    warn("document is empty");
    return doc;
  }
  const cleaned = cleanProbeText(text);
  doc.cleanText = cleaned.text;
  const cleaning = cleaningWarning(cleaned);
  if (cleaning) warn(cleaning);
  // Tolerate CRLF (a hand run pasted through Windows) and a UTF-8 BOM.
  const normalized = cleaned.text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  const lineEnd = (from: number) => {
    const i = normalized.indexOf("\n", from);
    return i < 0 ? normalized.length : i;
  };
  // The header is usually line 1, but a hand run may have a login banner first.
  let start = -1;
  for (let i = 0, at = 0; i < HEADER_SEARCH_LINES && at <= normalized.length; i++) {
    const end = lineEnd(at);
    const m = HEADER_RE.exec(normalized.slice(at, end));
    if (m) {
      doc.version = Number(m[1]);
      doc.token = m[2];
      start = end + 1;
      if (i > 0) warn(`ignored ${i} line(s) before the document header`);
      break;
    }
    at = end + 1;
  }
  if (start < 0 || doc.token === null) {
    warn("no 'daxboard-probe <version> boundary=<token>' header line");
    return doc;
  }
  if (doc.version !== 1) warn(`unsupported format version ${doc.version}; reading it as version 1`);
  if (!isValidBoundaryToken(doc.token)) warn("boundary token is not [A-Za-z0-9]; reading it anyway");

  const marker = `--${doc.token}`;
  const prefix = `${marker} `;
  const closing = `${marker}--`;
  // The start of the next line at or after `from` (itself a line start) that begins with the marker, or -1.
  const nextMarkerLine = (from: number) => {
    if (from > normalized.length) return -1;
    if (normalized.startsWith(marker, from)) return from;
    const i = normalized.indexOf(`\n${marker}`, from);
    return i < 0 ? -1 : i + 1;
  };
  let current: { name: string; rc: number | null; bodyStart: number } | null = null;
  // A body is the text between its header line and the newline that ends the line before the next boundary (or
  // the end of the text). Every body ends with one newline the script added: that one is dropped too.
  const flush = (bodyEnd: number) => {
    if (!current) return;
    let body = current.bodyStart < bodyEnd ? normalized.slice(current.bodyStart, bodyEnd) : "";
    if (body.endsWith("\n")) body = body.slice(0, -1);
    if (doc.sections.has(current.name)) warn(`duplicate section '${current.name}' ignored`);
    else doc.sections.set(current.name, { name: current.name, rc: current.rc, body });
    current = null;
  };
  const lineNumber = lineCounter(normalized);
  for (let at = nextMarkerLine(start); at >= 0;) {
    const end = lineEnd(at);
    const line = normalized.slice(at, end);
    if (line.trimEnd() === closing) {
      flush(at - 1);
      doc.complete = true;
      if (/\S/.test(normalized.slice(end + 1))) warn("text after the closing boundary ignored");
      break;
    }
    if (line.startsWith(prefix)) {
      flush(at - 1);
      const m = SECTION_HEADER_RE.exec(line.slice(prefix.length).trim());
      if (!m) warn(`unreadable section header at line ${lineNumber(at)}`);
      else {
        const rc = m[2] === undefined ? null : Number(m[2]);
        if (rc === null) warn(`section '${m[1]}' has no rc`);
        current = { name: m[1], rc, bodyStart: end + 1 };
      }
    }
    at = nextMarkerLine(end + 1);
  }
  if (!doc.complete) flush(normalized.length);
  if (!doc.complete) warn("document is truncated: no closing boundary line");
  return doc;
}

// 1-based line numbers of increasing offsets, counting each newline once.
function lineCounter(text: string): (offset: number) => number {
  let counted = 0;
  let line = 1;
  return (offset) => {
    for (let i = text.indexOf("\n", counted); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
    counted = Math.max(counted, offset);
    return line;
  };
}
