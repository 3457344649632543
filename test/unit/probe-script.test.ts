// The real probe.sh on this (x86_64) machine under dash, bash and busybox sh, also
// with a minimal PATH: every section present and parseable, verdict n/a.
import { execFileSync, spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  PROBE_SCRIPT_RELATIVE_PATH,
  PROBE_SECTIONS,
  isValidBoundaryToken,
  newBoundaryToken,
} from "@/lib/probe/constants";
import { parseProbeDocument } from "@/lib/probe/document";
import { parseFacts } from "@/lib/probe/facts";
import { assess } from "@/lib/readiness/assess";
import { capturesDir } from "@/test/support/capture-document";

const script = path.resolve(__dirname, "../..", PROBE_SCRIPT_RELATIVE_PATH);
const which = (bin: string) =>
  ["/usr/bin", "/bin", "/usr/sbin", "/sbin"].map((d) => `${d}/${bin}`).find(existsSync) ?? null;

const SHELLS: Array<[string, string[]]> = [
  ["dash", ["dash"]],
  ["bash", ["bash", "--posix"]],
  ["busybox sh", ["busybox", "sh"]],
];

function runProbe(shell: string[], args: string[], env: NodeJS.ProcessEnv, uid?: number) {
  const bin = which(shell[0]);
  if (!bin) throw new Error(`${shell[0]} is not installed (apt-get install ${shell[0]})`);
  const started = Date.now();
  const r = spawnSync(bin, [...shell.slice(1), script, ...args], {
    env,
    ...(uid === undefined ? {} : { uid, gid: uid }),
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
        // Its own run time, from /proc/uptime (10 ms steps): within what this test measured around the process.
        expect(facts.probeRuntimeMs).toMatchObject({ known: true, source: "probe-runtime" });
        expect(facts.probeRuntimeMs.known && facts.probeRuntimeMs.value).toBeLessThanOrEqual(r.ms + 10);
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

// Stub binaries on PATH stand in for the VMMs a host may carry: Cloud Hypervisor printing the real v37.0 --help
// (with --pmem … discard_writes= and --memory … mergeable=), kata-runtime, Firecracker, and a python3 that only
// says how it was started (the KVM ioctl must not run an interpreter without r/w /dev/kvm, and then isolated).
function stubDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "probe-stubs-"));
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(dir, name), 0o755);
  };
  const help = path.join(capturesDir(), "cloud-hypervisor/help-v37.0/ch-help.txt");
  stub("cloud-hypervisor", `case "$1" in --version) echo "cloud-hypervisor v37.0" ;; *) cat '${help}' ;; esac`);
  stub("kata-runtime", 'printf "kata-runtime  : 3.27.0\\n   commit   : 1c154b4c15\\n   OCI specs: 1.2.1\\n"');
  stub("firecracker", 'printf "Firecracker v1.14.0\\n\\nSupported snapshot data format versions: 1.0.0\\n"');
  stub("python3", 'echo "STUB-PYTHON $1 $2 $3"');
  chmodSync(dir, 0o755);
  return dir;
}

const kvmReadWrite = () => {
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

describe("probe.sh zero-copy sections with stub VMMs", () => {
  const dir = stubDir();
  const env = { PATH: `${dir}:/usr/bin:/bin`, HOME: "/tmp", NODE_ENV: "test" } as const;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, shell] of SHELLS) {
    it(`prints ch-options, ksm, kata, vmms and an isolated kvm-ipa under ${label}`, () => {
      const r = runProbe(shell, ["tok"], env);
      expect(r.status).toBe(0);
      const doc = parseProbeDocument(r.stdout);
      expect([...doc.sections.keys()]).toEqual([...PROBE_SECTIONS]);
      const options = doc.sections.get("ch-options")!;
      expect(options.rc).toBe(0);
      expect(options.body.split("\n").map((l) => l.trim().split(" ")[0])).toEqual(["--memory", "--pmem"]);
      expect(doc.sections.get("kata")!.body).toBe(
        `runtime=${dir}/kata-runtime\nkata-runtime  : 3.27.0\n   commit   : 1c154b4c15\n   OCI specs: 1.2.1`,
      );
      expect(doc.sections.get("vmms")!.body).toBe(`vmm=firecracker path=${dir}/firecracker\nFirecracker v1.14.0`);
      expect(doc.sections.get("ksm")!.body).toMatch(/^present=(yes\nrun=\d|no$)/);

      const { facts } = parseFacts(r.stdout);
      expect(facts.chOptions).toMatchObject({
        known: true,
        value: { pmem: true, discardWrites: true, mergeable: true },
      });
      expect(facts.kata).toMatchObject({ known: true, value: { found: true, version: { major: 3, minor: 27 } } });
      expect(facts.otherVmms).toMatchObject({
        known: true,
        value: [{ id: "firecracker", version: { major: 1, minor: 14, patch: 0 } }],
      });
      expect(facts.ksm.known).toBe(true);
      const ipa = doc.sections.get("kvm-ipa")!;
      if (kvmReadWrite()) expect(ipa.body).toMatch(/^STUB-PYTHON -I -S -c$/);
      else {
        expect(ipa.body).not.toMatch(/STUB-PYTHON/);
        expect(ipa.rc).not.toBe(0);
      }
    });
  }

  it.runIf(process.getuid?.() === 0)("starts no interpreter for kvm-ipa when /dev/kvm is not r/w (as nobody)", () => {
    const r = runProbe(["dash"], ["tok"], env, 65534);
    expect(r.status).toBe(0);
    const ipa = parseProbeDocument(r.stdout).sections.get("kvm-ipa")!;
    expect(ipa.body).not.toMatch(/STUB-PYTHON/);
    expect(ipa.rc).toBe(1);
    if (existsSync("/dev/kvm"))
      expect(parseFacts(r.stdout).facts.ipaBits).toMatchObject({ reason: "permission-denied" });
  });
});

describe("probe-runtime section", () => {
  const doc = (body: string | null) =>
    ["daxboard-probe 1 boundary=t", "--t arch rc=0", "aarch64", ...(body === null ? [] : [body]), "--t--"].join("\n");

  it.each([
    ["--t probe-runtime rc=0\nelapsed_ms=1230\nclock=/proc/uptime", { known: true, value: 1230 }],
    ["--t probe-runtime rc=0\nelapsed_ms=0", { known: true, value: 0 }],
    ["--t probe-runtime rc=1\n/proc/uptime: not readable", { known: false, reason: "not-collected" }],
    ["--t probe-runtime rc=0\nelapsed_ms=-5", { known: false, reason: "unparseable" }],
    ["--t probe-runtime rc=0\nelapsed_ms=999999999", { known: false, reason: "unparseable" }],
    [null, { known: false, reason: "not-collected" }],
  ])("%j reads as %j", (body, fact) => {
    expect(parseFacts(doc(body)).facts.probeRuntimeMs).toMatchObject(fact);
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
