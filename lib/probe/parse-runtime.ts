// The probe's own run time (section `probe-runtime`, added to format 1 in issue 15): how long the script took on
// the host, measured there from /proc/uptime, so a slow host or a slow interpreter start shows in its document.
import type { ProbeDocument } from "./document";
import { keyValues, known, readSection, unknown } from "./fact";
import type { Fact } from "./types";

// A run longer than a day is not a run time this script can have: the line is damaged or forged.
const MAX_MS = 86_400_000;

export function parseProbeRuntime(doc: ProbeDocument): Fact<number> {
  const s = readSection(doc, "probe-runtime");
  if (!s.ok) return s.fact;
  const raw = keyValues(s.body).elapsed_ms ?? "";
  const ms = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  return ms <= MAX_MS ? known(ms, s.name) : unknown("unparseable", "no elapsed_ms=<milliseconds> line", s.name);
}
