// Host facts for the zero-copy paths of DOMAIN.md §7: what Cloud Hypervisor's --help offers for virtio-pmem (B)
// and KSM merging (C), and the host's KSM state. Sections `ch-options` and `ksm`; a document without them (an
// older probe, a hand run) leaves the facts unknown "not-collected", so rules say UNKNOWN, never FAIL.
import type { ProbeDocument } from "./document";
import { keyValues, known, readSection, unknown } from "./fact";
import type { ChOptions, Fact, KsmInfo } from "./types";

// clap prints each option on its own line ("  --pmem <pmem>  Persistent memory parameters …", sometimes
// "-v, --verbose"), wrapping long values onto continuation lines that never start with a dash.
const OPTION_RE = /^(?:-\w,\s*)?--([A-Za-z][\w-]{0,40})/;
const MAX_LINES = 4000;
const MAX_ENTRY_LINES = 64;

export type ChOptionEntries = { pmem: string | null; memory: string | null };

/** The --pmem and --memory entries of a --help text (or of the probe's excerpt of it), continuation lines joined. */
export function chOptionEntries(text: string): ChOptionEntries {
  const out: ChOptionEntries = { pmem: null, memory: null };
  const lines = text.split("\n", MAX_LINES);
  let current: "pmem" | "memory" | null = null;
  let parts: string[] = [];
  const flush = () => {
    if (current && out[current] === null) out[current] = parts.join("");
    current = null;
    parts = [];
  };
  for (const raw of lines) {
    const line = raw.trim();
    const option = OPTION_RE.exec(line);
    if (option) {
      flush();
      if (option[1] === "pmem" || option[1] === "memory") {
        current = option[1];
        parts = [line.slice(0, 2000)];
      }
    } else if (current && parts.length < MAX_ENTRY_LINES) {
      parts.push(line.slice(0, 2000));
    }
  }
  flush();
  return out;
}

/** What the entries offer: --pmem at all, its discard_writes=, and --memory's mergeable=. */
export function parseChOptions(text: string): ChOptions | null {
  const e = chOptionEntries(text);
  // Every Cloud Hypervisor release has --memory: without it the text is not a --help.
  if (e.memory === null) return null;
  return {
    pmem: e.pmem !== null,
    discardWrites: e.pmem !== null && /\bdiscard_writes=/.test(e.pmem),
    mergeable: /\bmergeable=/.test(e.memory),
  };
}

export function parseChOptionsSection(doc: ProbeDocument): Fact<ChOptions> {
  const s = readSection(doc, "ch-options");
  if (!s.ok) return s.fact;
  const options = parseChOptions(s.body);
  if (options) return known(options, s.name);
  if (/cloud-hypervisor: not found/.test(s.body.slice(0, 200)))
    return unknown("not-applicable", "no Cloud Hypervisor", s.name);
  return unknown("unparseable", "no --memory entry in cloud-hypervisor --help", s.name);
}

// /sys/kernel/mm/ksm counters are unsigned longs; anything else (empty, garbled) is unknown.
function counter(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

export function parseKsm(doc: ProbeDocument): Fact<KsmInfo> {
  const s = readSection(doc, "ksm");
  if (!s.ok) return s.fact;
  const kv = keyValues(s.body.slice(0, 64 * 1024));
  const present = kv.present;
  if (present === "no")
    return known({ present: false, run: null, pagesSharing: null, pagesShared: null, maxPageSharing: null }, s.name);
  if (present !== "yes") return unknown("unparseable", "no present=yes|no line", s.name);
  return known(
    {
      present: true,
      run: counter(kv.run),
      pagesSharing: counter(kv.pages_sharing),
      pagesShared: counter(kv.pages_shared),
      maxPageSharing: counter(kv.max_page_sharing),
    },
    s.name,
  );
}
