// Probe document format v1 → sections. Never throws: a damaged document yields
// the sections that could be read plus warnings (DOMAIN.md §2).
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
};

const HEADER_RE = /^daxboard-probe (\d+) boundary=(\S+)\s*$/;
const MAX_WARNINGS = 50;

export function parseProbeDocument(text: unknown): ProbeDocument {
  const doc: ProbeDocument = {
    version: null,
    token: null,
    sections: new Map(),
    complete: false,
    warnings: [],
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
  // Tolerate CRLF (a hand run pasted through Windows) and a UTF-8 BOM.
  const normalized = text.replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  const lines = normalized.split("\n");
  // The header is usually line 1, but a hand run may have a login banner first.
  let start = -1;
  for (let i = 0; i < Math.min(lines.length, 50); i++) {
    const m = HEADER_RE.exec(lines[i]);
    if (m) {
      doc.version = Number(m[1]);
      doc.token = m[2];
      start = i + 1;
      if (i > 0) warn(`ignored ${i} line(s) before the document header`);
      break;
    }
  }
  if (start < 0 || doc.token === null) {
    warn("no 'daxboard-probe <version> boundary=<token>' header line");
    return doc;
  }
  if (doc.version !== 1) warn(`unsupported format version ${doc.version}; reading it as version 1`);
  if (!isValidBoundaryToken(doc.token)) warn("boundary token is not [A-Za-z0-9]; reading it anyway");

  const prefix = `--${doc.token} `;
  const closing = `--${doc.token}--`;
  let current: { name: string; rc: number | null; lines: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    // Every body ends with one newline the script added; the split leaves it as
    // a trailing empty line.
    if (current.lines.length > 0 && current.lines[current.lines.length - 1] === "") current.lines.pop();
    if (doc.sections.has(current.name)) warn(`duplicate section '${current.name}' ignored`);
    else doc.sections.set(current.name, { name: current.name, rc: current.rc, body: current.lines.join("\n") });
    current = null;
  };
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("--") && line.trimEnd() === closing) {
      flush();
      doc.complete = true;
      if (lines.slice(i + 1).some((l) => l.trim() !== "")) warn("text after the closing boundary ignored");
      break;
    }
    if (line.startsWith(prefix)) {
      flush();
      const rest = line.slice(prefix.length).trim();
      const m = /^(\S+)(?:\s+rc=(-?\d+))?/.exec(rest);
      if (!m) {
        warn(`unreadable section header at line ${i + 1}`);
        continue;
      }
      const rc = m[2] === undefined ? null : Number(m[2]);
      if (rc === null) warn(`section '${m[1]}' has no rc`);
      current = { name: m[1], rc, lines: [] };
      continue;
    }
    if (current) current.lines.push(line);
  }
  flush();
  if (!doc.complete) warn("document is truncated: no closing boundary line");
  return doc;
}
