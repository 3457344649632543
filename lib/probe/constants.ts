// Constants shared by the probe script, the document parser and the SSH layer.
// The script itself lives in probe.sh so it can be linted and run by hand; the
// scan layer reads it from disk (this module stays free of I/O).

export const PROBE_SCRIPT_RELATIVE_PATH = "lib/probe/probe.sh";

export const PROBE_FORMAT_VERSION = 1;

// Every section probe.sh emits, in order (DOMAIN.md §2).
export const PROBE_SECTIONS = [
  "arch",
  "kernel-release",
  "kernel-version",
  "pagesize",
  "cpuinfo",
  "midr",
  "lscpu",
  "meminfo",
  "os-release",
  "interrupts",
  "dmi",
  "soc0",
  "acpi-tables",
  "dt-model",
  "dt-compatible",
  "dt-dma-coherent",
  "kvm",
  "dmesg-restrict",
  "dmesg-kvm",
  "kvm-ipa",
  "kernel-config",
  "thp",
  "virt",
  "ch",
  "ch-help",
  "ch-options",
  "virtiofsd",
  "ksm",
  "kata",
  "vmms",
  "user",
  "probe-runtime",
] as const;

export type ProbeSectionName = (typeof PROBE_SECTIONS)[number];

// The server generates the token and passes it as the script's only argument; the
// script and the parser both refuse anything outside [A-Za-z0-9] so the token can
// never carry shell syntax.
const TOKEN_PATTERN = /^[A-Za-z0-9]{1,128}$/;

export function isValidBoundaryToken(token: unknown): token is string {
  return typeof token === "string" && TOKEN_PATTERN.test(token);
}

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

// 24 characters from a 62-letter alphabet ≈ 143 bits: a host cannot guess it, so
// file contents cannot forge section headers. Rejection sampling avoids modulo bias.
export function newBoundaryToken(length = 24): string {
  if (!Number.isInteger(length) || length < 24 || length > 128) {
    throw new RangeError("boundary token length must be an integer in 24..128");
  }
  let out = "";
  const buf = new Uint8Array(length * 2);
  while (out.length < length) {
    globalThis.crypto.getRandomValues(buf);
    for (const byte of buf) {
      if (byte < 248 && out.length < length) out += TOKEN_ALPHABET[byte % 62];
    }
  }
  return out;
}
