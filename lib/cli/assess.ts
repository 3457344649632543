// Offline assessment: npm run -s assess -- <probe-output-file> [--guest-profile <json file | inline json>] [--json]
// --json prints the AssessmentReport (the contract scripts read: `paths` [{id, verdict, checks, config, …}],
// `bestPath`) plus the parse warnings. Exit 0 when a report was produced (whatever the verdict), 2 on unreadable input.
import { readFileSync } from "node:fs";
import { parseFacts } from "../probe/facts";
import { assess } from "../readiness/assess";
import { DEFAULT_GUEST_PROFILE, guestProfileSchema, type GuestProfile } from "../readiness/guest-profile";
import { toAssessmentReport, type AssessmentReport, type ReportCheck } from "../readiness/report";

const USAGE = "usage: npm run -s assess -- <probe-output-file> [--guest-profile <json file | inline json>] [--json]";
const MAX_INPUT_BYTES = 8 * 1024 * 1024;

class InputError extends Error {}

type Args = { file: string; guestProfile: string | null; json: boolean };

function parseArgs(argv: string[]): Args {
  let file: string | null = null;
  let guestProfile: string | null = null;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--guest-profile") {
      const v = argv[++i];
      if (v === undefined) throw new InputError("--guest-profile needs a value");
      guestProfile = v;
    } else if (a.startsWith("--guest-profile=")) guestProfile = a.slice("--guest-profile=".length);
    else if (a === "-h" || a === "--help") throw new InputError(USAGE);
    else if (a.startsWith("--")) throw new InputError(`unknown option ${a}`);
    else if (file === null) file = a;
    else throw new InputError(`unexpected argument ${a}`);
  }
  if (file === null) throw new InputError("missing probe output file");
  return { file, guestProfile, json };
}

function readText(path: string, what: string): string {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new InputError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (buf.length > MAX_INPUT_BYTES) throw new InputError(`${what} ${path} is larger than ${MAX_INPUT_BYTES} bytes`);
  return buf.toString("utf8");
}

function loadGuestProfile(arg: string | null): GuestProfile {
  if (arg === null) return DEFAULT_GUEST_PROFILE;
  const text = arg.trim().startsWith("{") ? arg : readText(arg, "guest profile");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InputError("guest profile is not valid JSON");
  }
  // Partial profiles override the defaults field by field.
  const merged = { ...DEFAULT_GUEST_PROFILE, ...(raw && typeof raw === "object" ? raw : {}) };
  const parsed = guestProfileSchema.safeParse(merged);
  if (!parsed.success)
    throw new InputError(
      `invalid guest profile: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

const show = (v: unknown) => (v === null || v === undefined ? "unknown" : String(v));

function hostLines(f: AssessmentReport["facts"]): string[] {
  const cpus = f.cpus.length
    ? f.cpus.map((c) => `${c.count ?? "?"}× ${c.core ?? "unknown core"} (${c.implementer}/${c.part ?? "?"})`).join(", ")
    : "unknown";
  const kvm = f.kvm ? (f.kvm.present ? `present (r=${f.kvm.readable}, w=${f.kvm.writable})` : "absent") : "unknown";
  const ch = f.cloudHypervisor;
  const chText = ch
    ? ch.found
      ? `${show(ch.version)} at ${show(ch.path)} (dax option: ${show(ch.daxOption)})`
      : "not installed"
    : "unknown";
  const daemons = f.virtiofsd.map((d) => `${d.path} ${d.flavour} ${show(d.version)}`).join("; ");
  return [
    "Host",
    `  arch            ${show(f.arch)}`,
    `  kernel          ${show(f.kernelRelease)}`,
    `  os              ${show(f.os)}`,
    `  page size       ${show(f.pageSize)}`,
    `  cpus            ${cpus}`,
    `  product         ${show(f.product)}`,
    `  boot / GIC      ${show(f.bootMethod)} / ${f.gic === null ? "unknown" : `GICv${f.gic}`}`,
    `  platform class  ${show(f.platformClass)}`,
    `  KVM             ${kvm}`,
    `  IPA bits        ${show(f.ipaBits)}`,
    `  virtualized     ${show(f.virtualized)}`,
    `  CH              ${chText}`,
    `  virtiofsd       ${daemons || "none found"}`,
  ];
}

const needsAction = (c: ReportCheck) => c.status === "FAIL" || c.status === "WARN" || c.status === "UNKNOWN";

function checkLines(checks: ReportCheck[], indent: string): string[] {
  return checks.flatMap((c) => [
    `${indent}[${c.status.padEnd(7)}] ${c.id}: ${c.reason}`,
    ...(c.remediation && needsAction(c) ? [`${indent}            → ${c.remediation}`] : []),
  ]);
}

function cacheSizeLines(c: AssessmentReport["cacheSize"]): string[] {
  if (!c) return ["cache_size: not computed (platform FAIL or not arm64)"];
  return [
    `cache_size${c.forDaxCapableVmm ? " (for a DAX-capable VMM)" : ""}: ${c.human} (limited by ${c.limitedBy})`,
    `  ${c.explanation}`,
    `  CH (legacy ≤ v22.1): ${c.chArgument}`,
    `  Kata: ${c.kataSetting}`,
    ...(c.warning ? [`  WARN: ${c.warning}`] : []),
  ];
}

// Each path: its verdict and summary, the checks that block or warn, and the configuration to paste.
function pathLines(r: AssessmentReport): string[] {
  const lines = ["Zero-copy paths"];
  for (const p of r.paths) {
    lines.push(`  ${p.id} — ${p.title}: ${p.verdict}`, `    ${p.summary}`);
    lines.push(...checkLines(p.checks.filter(needsAction), "    "));
    if (p.config) {
      lines.push(...p.config.host.map((l) => `    host:  ${l}`), ...p.config.guest.map((l) => `    guest: ${l}`));
      lines.push(...p.config.notes.map((l) => `    note:  ${l}`));
    }
  }
  const best = r.bestPath ?? "none";
  lines.push("", `Best path: ${best} — ${r.bestPathReason}`);
  return lines;
}

function renderText(r: AssessmentReport, warnings: string[]): string {
  const lines = [
    `DAXboard offline assessment (rules ${r.rulesVersion})`,
    "",
    `Verdict: ${r.verdict} — ${r.headline}`,
    "",
    ...hostLines(r.facts),
    "",
    "Checks",
    ...checkLines(r.checks, "  "),
    "",
    ...pathLines(r),
    "",
    ...cacheSizeLines(r.cacheSize),
  ];
  if (warnings.length) lines.push("", "Parse warnings", ...warnings.map((w) => `  - ${w}`));
  return lines.join("\n") + "\n";
}

export function main(argv: string[]): number {
  let args: Args;
  let text: string;
  let guest: GuestProfile;
  try {
    args = parseArgs(argv);
    text = readText(args.file, "probe output");
    guest = loadGuestProfile(args.guestProfile);
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`assess: ${err.message}\n${err.message === USAGE ? "" : USAGE + "\n"}`);
      return 2;
    }
    throw err;
  }
  const { facts, warnings } = parseFacts(text);
  if (facts.formatVersion === null) {
    process.stderr.write(`assess: ${args.file} is not a DAXboard probe document (${warnings.join("; ")})\n`);
    return 2;
  }
  const report = toAssessmentReport(facts, assess(facts, guest));
  process.stdout.write(
    args.json ? JSON.stringify({ ...report, warnings }, null, 2) + "\n" : renderText(report, warnings),
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
