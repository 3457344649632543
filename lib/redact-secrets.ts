// Key-based secret redaction for log records, at any depth. pino's own `redact` takes fixed paths, so a password
// one level deeper than foreseen (an Error's property, a nested `auth` object, an array of credentials) would be
// written in clear (issue 12). This walks a copy of the record instead; it never mutates what the caller logged.

export const REDACTED = "[redacted]";

// Compared against the key lower-cased with `-`, `_`, `.` and spaces removed, so `Set-Cookie`, `private_key`
// and `jumpPrivateKey` all match. A key containing one of these words is a secret...
const SECRET_WORDS = [
  "password",
  "passwd",
  "passphrase",
  "secret",
  "privatekey",
  "ciphertext",
  "token",
  "authorization",
  "cookie",
  "apikey",
  "sessionid",
];
// ...and these short ones only as the whole key (`iv` inside `privileged` is not one).
const SECRET_KEYS = new Set(["iv", "authtag", "pwd", "pass", "key", "salt"]);

// Bounds the work one log call can cause, whatever it is handed.
const MAX_DEPTH = 12;
const MAX_NODES = 5_000;

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_. ]/g, "");
  return SECRET_KEYS.has(k) || SECRET_WORDS.some((word) => k.includes(word));
}

type Walk = { nodes: number; ancestors: Set<object> };

// A JSON-ready copy of `value` with every secret-named key's value replaced by "[redacted]". Errors become
// { type, message, stack, ...their own properties } (pino's err shape), with `cause` and `errors` walked too;
// binary data is summarised, cycles are marked, and anything deeper or larger than the bounds is cut.
export function redactSecrets(value: unknown): unknown {
  return walk(value, 0, { nodes: 0, ancestors: new Set() });
}

function walk(value: unknown, depth: number, state: Walk): unknown {
  if (value === null || typeof value !== "object") return value;
  if (++state.nodes > MAX_NODES) return "[truncated]";
  if (depth > MAX_DEPTH) return "[depth limit]";
  if (state.ancestors.has(value)) return "[Circular]";
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary ${value.byteLength} bytes]`;
  if (value instanceof Date) return value;
  state.ancestors.add(value);
  try {
    if (Array.isArray(value)) return walkArray(value, depth, state);
    if (value instanceof Error) return walkError(value, depth, state);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return walk(toJSON.call(value), depth + 1, state);
    return walkProperties(value as Record<string, unknown>, {}, depth, state);
  } finally {
    state.ancestors.delete(value);
  }
}

function walkArray(source: unknown[], depth: number, state: Walk): unknown[] {
  const out: unknown[] = [];
  for (const item of source) {
    if (state.nodes >= MAX_NODES) {
      out.push(`[${source.length - out.length} more items]`);
      break;
    }
    out.push(walk(item, depth + 1, state));
  }
  return out;
}

function walkProperties(
  source: Record<string, unknown>,
  into: Record<string, unknown>,
  depth: number,
  state: Walk,
): Record<string, unknown> {
  for (const key of Object.keys(source)) {
    if (key in into) continue;
    if (state.nodes >= MAX_NODES) {
      into["[truncated]"] = true;
      break;
    }
    let item: unknown;
    try {
      item = source[key];
    } catch {
      item = "[unreadable]"; // a throwing getter must not turn a log call into a crash
    }
    if (item === undefined || typeof item === "function") continue;
    into[key] = isSecretKey(key) ? REDACTED : walk(item, depth + 1, state);
  }
  return into;
}

function walkError(err: Error, depth: number, state: Walk): Record<string, unknown> {
  const type = err.constructor?.name ?? err.name;
  const out: Record<string, unknown> = { type, message: err.message, stack: err.stack };
  if (err.cause !== undefined) out.cause = walk(err.cause, depth + 1, state);
  if (err instanceof AggregateError) out.aggregateErrors = walk(err.errors, depth + 1, state);
  return walkProperties(err as unknown as Record<string, unknown>, out, depth, state);
}
