// Probe output as PostgreSQL can store it (issue 12). A hostile host, or a hand-run file, can put NUL bytes in its
// output, and a JSON upload can carry lone UTF-16 surrogates ("\ud800"): PostgreSQL's text and jsonb refuse both,
// so the save would throw and the scan would never end. The document is cleaned once, before parsing, and the
// cleaned text is what gets stored, so the raw output and the facts derived from it always agree.

export type CleanedText = { text: string; removedNuls: number; replacedSurrogates: number };

const NUL = "\u0000";
// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units: no u flag).
// Each alternative looks at one character on either side, so the scan is linear.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NUL removed (it carries nothing: the probe already turns device-tree NULs into newlines), lone surrogates
 * replaced by U+FFFD. Linear; returns the same string when there is nothing to clean. */
export function cleanProbeText(text: string): CleanedText {
  let removedNuls = 0;
  let out = text;
  if (out.includes(NUL)) {
    const parts = out.split(NUL);
    removedNuls = parts.length - 1;
    out = parts.join("");
  }
  let replacedSurrogates = 0;
  out = out.replace(LONE_SURROGATE, () => {
    replacedSurrogates++;
    return "\uFFFD";
  });
  return { text: out, removedNuls, replacedSurrogates };
}

/** The parse warning for what cleanProbeText changed, or null when nothing was. */
export function cleaningWarning({ removedNuls, replacedSurrogates }: CleanedText): string | null {
  const what = [
    removedNuls ? `removed ${removedNuls} NUL character(s)` : null,
    replacedSurrogates ? `replaced ${replacedSurrogates} invalid UTF-16 character(s) with U+FFFD` : null,
  ].filter(Boolean);
  return what.length ? `output cleaned before parsing: ${what.join(", ")}` : null;
}

/** A JSON-shaped value with every string in it cleaned (error details carry a host's stderr, which may hold NUL). */
export function cleanJsonStrings<T>(value: T): T {
  if (typeof value === "string") return cleanProbeText(value).text as T;
  if (Array.isArray(value)) return value.map(cleanJsonStrings) as T;
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [cleanProbeText(k).text, cleanJsonStrings(v)]),
    ) as T;
  }
  return value;
}
