// The real probe.sh on this (x86_64) machine under dash, bash and busybox sh, also
// with a minimal PATH: every section present and parseable, verdict n/a.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  PROBE_SCRIPT_RELATIVE_PATH,
  PROBE_SECTIONS,
  isValidBoundaryToken,
  newBoundaryToken,
} from "@/lib/probe/constants";
import { parseProbeDocument } from "@/lib/probe/document";
import { parseFacts } from "@/lib/probe/facts";
import { assess } from "@/lib/readiness/assess";

const script = path.resolve(__dirname, "../..", PROBE_SCRIPT_RELATIVE_PATH);
const which = (bin: string) =>
  ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map((d) => `${d}/${bin}`).find(existsSync) ?? null;

const SHELLS: Array<[string, string[]]> = [
  ["dash", ["dash"]],
  ["bash", ["bash", "--posix"]],
  ["busybox sh", ["busybox", "sh"]],
];

function runProbe(shell: string[], args: string[], env: NodeJS.ProcessEnv) {
  const bin = which(shell[0]);
  if (!bin) throw new Error(`${shell[0]} is not installed (apt-get install ${shell[0]})`);
  const started = Date.now();
  const r = spawnSync(bin, [...shell.slice(1), script, ...args], {
    env,
    encoding: "utf8",
    timeout: 20_000,
    maxBuffer: 4 * 1024 * 1024,
  });
  return { ...r, ms: Date.now() - started };
}

describe("probe.sh", () => {
  for (const [label, shell] of SHELLS) {
    const envs: Array<[string, NodeJS.ProcessEnv]> = [
      ["inherited PATH", { ...process.env }],
      ["minimal PATH", { PATH: "/nonexistent", HOME: "/tmp", NODE_ENV: "test" }],
    ];
    for (const [envName, env] of envs) {
      it(`runs under ${label} with ${envName}`, () => {
        const token = newBoundaryToken();
        const r = runProbe(shell, [token], env);
        expect(r.status).toBe(0);
        expect(r.ms).toBeLessThan(10_000);
        expect(Buffer.byteLength(r.stdout)).toBeLessThan(512 * 1024 + 64 * 1024);
        const doc = parseProbeDocument(r.stdout);
        expect(doc.version).toBe(1);
        expect(doc.token).toBe(token);
        expect(doc.complete).toBe(true);
        expect(doc.warnings).toEqual([]);
        expect([...doc.sections.keys()]).toEqual([...PROBE_SECTIONS]);
        for (const s of doc.sections.values()) expect(Number.isInteger(s.rc), s.name).toBe(true);

        const { facts, warnings } = parseFacts(r.stdout);
        expect(warnings).toEqual([]);
        expect(facts.arch).toMatchObject({ known: true, value: "x86_64", source: "arch" });
        expect(facts.kernelRelease.known).toBe(true);
        expect(facts.pageSize).toMatchObject({ known: true, value: 4096 });
        expect(facts.memTotalKiB.known).toBe(true);
        expect(facts.kvm.known).toBe(true);
        expect(facts.cloudHypervisor.known).toBe(true);
        expect(facts.virtiofsd.known).toBe(true);
        const a = assess(facts);
        expect(a.verdict).toBe("n/a");
        expect(a.cacheSize).toBeNull();
      });
    }
  }

  it("picks its own token without an argument", () => {
    const r = runProbe(["dash"], [], { ...process.env });
    const first = r.stdout.split("\n")[0];
    const m = /^daxboard-probe 1 boundary=([A-Za-z0-9]+)$/.exec(first);
    expect(m).not.toBeNull();
    expect(m![1].length).toBeGreaterThanOrEqual(16);
    expect(r.stdout.trimEnd().endsWith(`--${m![1]}--`)).toBe(true);
  });

  it("works as `sh -s` fed on stdin", () => {
    const out = execFileSync(which("dash")!, ["-s", "abc"], { input: execFileSync("cat", [script]), encoding: "utf8" });
    expect(parseProbeDocument(out).complete).toBe(true);
  });

  it.each([["bad token"], ["a;rm -rf /"], [""], ["x".repeat(129)]])("rejects the token %j", (tok) => {
    const r = runProbe(["dash"], [tok], { ...process.env });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
  });

  it("passes shellcheck when shellcheck is installed", () => {
    const sc = which("shellcheck");
    if (!sc) return; // CI installs the Debian package; see the issue
    const r = spawnSync(sc, ["-s", "sh", script], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("boundary tokens", () => {
  it("newBoundaryToken is [A-Za-z0-9]{24} and unique", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const t = newBoundaryToken();
      expect(t).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(isValidBoundaryToken(t)).toBe(true);
      seen.add(t);
    }
    expect(seen.size).toBe(500);
    expect(newBoundaryToken(40)).toHaveLength(40);
    expect(() => newBoundaryToken(8)).toThrow(RangeError);
  });

  it("isValidBoundaryToken refuses shell syntax", () => {
    for (const t of ["", "a b", "a;b", "$(x)", "a-b", "ä", 42, null]) expect(isValidBoundaryToken(t)).toBe(false);
  });
});
