// Cloud Hypervisor and virtiofsd strings drive rules 10–12 (DOMAIN.md §1, §3, §4).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseFacts } from "@/lib/probe/facts";
import { parseChHelp, parseChVersion, parseVirtiofsdVersion } from "@/lib/probe/parse-stack";
import { assess } from "@/lib/readiness/assess";
import { verdictHeadline } from "@/lib/readiness/report";
import {
  buildProbeDocument,
  capturesDir,
  syntheticStackSections,
  type DocSection,
  type SyntheticStack,
} from "@/test/support/capture-document";

const chCapture = (dir: string, file: string) =>
  readFileSync(path.join(capturesDir(), "cloud-hypervisor", dir, file), "utf8");

// A healthy arm64 server platform, so only the stack decides the verdict.
const PLATFORM: DocSection[] = [
  { name: "arch", rc: 0, body: "aarch64" },
  { name: "kernel-release", rc: 0, body: "6.8.0-39-generic" },
  { name: "pagesize", rc: 0, body: "4096" },
  {
    name: "cpuinfo",
    rc: 0,
    body: "processor\t: 0\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU part\t: 0xd0c",
  },
  { name: "interrupts", rc: 0, body: "           CPU0\n 11:  1  GICv3  27 Level     arch_timer" },
  { name: "acpi-tables", rc: 0, body: "APIC\nIORT\nDSDT" },
  { name: "dmi", rc: 0, body: "sys_vendor=Ampere\nproduct_name=Mt.Jade" },
  { name: "kvm", rc: 0, body: "exists=yes\nreadable=yes\nwritable=yes" },
  {
    name: "dmesg-kvm",
    rc: 0,
    body: "[0.7] kvm [1]: IPA Size Limit: 48 bits\n[0.7] kvm [1]: VHE mode initialized successfully",
  },
  { name: "virt", rc: 0, body: "systemd-detect-virt=none" },
];

function run(stack: SyntheticStack, extra: DocSection[] = []) {
  const doc = buildProbeDocument("tok1", [...PLATFORM, ...syntheticStackSections(stack), ...extra]);
  const { facts } = parseFacts(doc);
  const a = assess(facts);
  const ch = a.checks.find((c) => c.id === "stack.cloud-hypervisor")!;
  const vf = a.checks.find((c) => c.id === "stack.virtiofsd")!;
  return { facts, a, ch, vf, headline: verdictHeadline(facts, a) };
}

const RUST_OLD = { path: "/usr/libexec/virtiofsd", versionLine: "virtiofsd backend 1.1.0" };
const RUST_112 = { path: "/usr/libexec/virtiofsd", versionLine: "virtiofsd 1.12.0" };
const RUST_NEW = { path: "/usr/libexec/virtiofsd", versionLine: "virtiofsd 1.13.2" };

describe("CH version strings", () => {
  it.each([
    ["cloud-hypervisor v41.0.0", { major: 41, minor: 0, patch: 0, suffix: null }],
    ["cloud-hypervisor v53.0\nMigration Protocol Versions: 1.0", { major: 53, minor: 0, patch: null, suffix: null }],
    ["cloud-hypervisor v36.0-83-g77f4e35b-dirty", { major: 36, minor: 0, patch: null, suffix: "-83-g77f4e35b-dirty" }],
    ["cloud-hypervisor v41.0.0-41.0.120.g4ea35aaf", { major: 41, minor: 0, patch: 0, suffix: "-41.0.120.g4ea35aaf" }],
    ["cloud-hypervisor v22.1", { major: 22, minor: 1, patch: null, suffix: null }],
    ["garbage", null],
  ])("%s", (text, expected) => {
    expect(parseChVersion(text)).toEqual(expected);
  });

  it("reads the real version capture (v41.0.0, openEuler arm64)", () => {
    expect(parseChVersion(chCapture("version-v41.0.0-arm64-openeuler2203", "ch-version.txt"))).toEqual({
      major: 41,
      minor: 0,
      patch: 0,
      suffix: null,
    });
  });
});

describe("CH --help captures", () => {
  it("v18.0 offers dax= and cache_size= in --fs", () => {
    expect(parseChHelp(chCapture("help-v18.0", "ch-help.txt"))).toEqual({ daxOption: true, cacheSizeOption: true });
  });
  it("v37.0 offers neither", () => {
    expect(parseChHelp(chCapture("help-v37.0", "ch-help.txt"))).toEqual({ daxOption: false, cacheSizeOption: false });
  });
  it("joins clap continuation lines", () => {
    expect(
      parseChHelp(
        '  --fs <fs>   virtio-fs parameters "tag=<t>,\n               dax=on|off,cache_size=<s>"\n  --net <net>  x dax=on',
      ).daxOption,
    ).toBe(true);
    expect(parseChHelp('  --fs <fs>   virtio-fs "tag=<t>"\n  --net <net>  dax=on|off').daxOption).toBe(false);
  });

  it("v18.0 capture drives the CH rule to WARN (legacy DAX works) and the pair to PASS with an old virtiofsd", () => {
    const help = chCapture("help-v18.0", "ch-help.txt");
    const version = help.split("\n")[0]; // clap 2 header == --version output (source.md)
    const { ch, a, facts } = run({ virtiofsd: [RUST_OLD] }, [
      { name: "ch", rc: 0, body: `path=/usr/local/bin/cloud-hypervisor\n${version}` },
      { name: "ch-help", rc: 0, body: help },
    ]);
    expect(
      facts.cloudHypervisor.known && facts.cloudHypervisor.value.found && facts.cloudHypervisor.value.daxOption,
    ).toBe(true);
    expect(ch.status).toBe("WARN");
    expect(a.checks.find((c) => c.id === "stack.dax-pair")!.status).toBe("PASS");
    expect(a.verdict).toBe("ready-with-warnings");
    expect(a.cacheSize!.forDaxCapableVmm).toBe(false);
  });

  it("v37.0 capture drives the CH rule to FAIL (no DAX option, removed in v25.0)", () => {
    const { ch, a, headline } = run({ virtiofsd: [RUST_NEW] }, [
      { name: "ch", rc: 0, body: "path=/usr/bin/cloud-hypervisor\ncloud-hypervisor v37.0" },
      { name: "ch-help", rc: 0, body: chCapture("help-v37.0", "ch-help.txt") },
    ]);
    expect(ch.status).toBe("FAIL");
    expect(ch.reason).toMatch(/removed in v25\.0/);
    expect(a.verdict).toBe("platform-ready");
    expect(headline).toBe(
      "Platform ready — DAX blocked by the VMM: Cloud Hypervisor v37.0 has no DAX (removed in v25.0)",
    );
  });

  it("v37.0 help with an unreadable version still FAILs: no dax option offered", () => {
    const { ch } = run({}, [
      { name: "ch", rc: 0, body: "path=/usr/bin/cloud-hypervisor\nsegfault" },
      { name: "ch-help", rc: 0, body: chCapture("help-v37.0", "ch-help.txt") },
    ]);
    expect(ch.status).toBe("FAIL");
  });
});

describe("CH rule by version", () => {
  it.each([
    ["v22.1", "WARN", /unmaintained since 2022/],
    ["v23.0", "FAIL", /silently forces DAX off/],
    ["v24.0", "FAIL", /silently forces DAX off/],
    ["v25.0", "FAIL", /removed in v25\.0/],
    ["v41.0.0", "FAIL", /v26\+ supports DAX on arm64 is wrong/],
    ["v36.0-83-g77f4e35b-dirty", "FAIL", /has no DAX/],
    ["v41.0.0-41.0.120.g4ea35aaf", "FAIL", /has no DAX/],
  ])("%s → %s", (version, status, reason) => {
    const { ch } = run({ ch: version, chHelpDax: false, virtiofsd: [RUST_NEW] });
    expect(ch.status).toBe(status);
    expect(ch.reason).toMatch(reason);
  });

  it("v53.0 with a second line", () => {
    const { ch, facts, headline } = run({
      ch: "v53.0",
      chExtraLines: ["Migration Protocol Versions: 1.0"],
      virtiofsd: [RUST_NEW],
    });
    expect(
      facts.cloudHypervisor.known && facts.cloudHypervisor.value.found && facts.cloudHypervisor.value.version,
    ).toEqual({ major: 53, minor: 0, patch: null, suffix: null });
    expect(ch.status).toBe("FAIL");
    expect(headline).toMatch(/Cloud Hypervisor v53\.0 has no DAX/);
  });

  it("v23.0 whose help still lists dax: option ignored", () => {
    const { ch } = run({ ch: "v23.0", chHelpDax: true });
    expect(ch.status).toBe("FAIL");
    expect(ch.reason).toMatch(/ignored/);
  });

  it("custom build offering dax → WARN verify", () => {
    expect(run({ ch: "v36.0-83-g77f4e35b-dirty", chHelpDax: true }).ch.status).toBe("WARN");
    expect(run({ ch: null, chHelpDax: true }).ch.status).toBe("WARN");
  });

  it("missing binary → UNKNOWN 'not installed', verdict platform-ready", () => {
    const { ch, a, headline } = run({ ch: "absent", virtiofsd: [] });
    expect(ch.status).toBe("UNKNOWN");
    expect(ch.reason).toMatch(/not installed/);
    expect(a.verdict).toBe("platform-ready");
    expect(headline).toMatch(/no Cloud Hypervisor installed/);
  });

  it("ch section not collected → UNKNOWN, never FAIL", () => {
    const { ch, a } = run({});
    expect(ch.status).toBe("UNKNOWN");
    expect(a.checks.find((c) => c.id === "stack.dax-pair")!.status).toBe("UNKNOWN");
  });
});

describe("virtiofsd flavours", () => {
  it.each([
    ["virtiofsd backend 1.1.0", "rust", { major: 1, minor: 1, patch: 0 }],
    ["virtiofsd 1.10.1", "rust", { major: 1, minor: 10, patch: 1 }],
    ["virtiofsd 1.13.0", "rust", { major: 1, minor: 13, patch: 0 }],
    ["virtiofsd version 6.2.0 (Debian 1:6.2+dfsg-2ubuntu6)", "c-qemu", { major: 6, minor: 2, patch: 0 }],
    ["FUSE library version 3.10.5\nusing FUSE kernel interface version 7.31", "c-qemu", null],
    ["something else", "unknown", null],
  ])("%s", (text, flavour, version) => {
    const v = parseVirtiofsdVersion(text);
    expect(v.flavour).toBe(flavour);
    expect(v.version).toEqual(version);
  });

  it.each([
    [RUST_OLD, "WARN", /legacy DAX path/],
    [RUST_112, "WARN", /pairs only with CH ≤ v22/],
    [RUST_NEW, "FAIL", /ENOSYS/],
    [{ path: "/usr/lib/qemu/virtiofsd", versionLine: "virtiofsd version 6.2.0" }, "FAIL", /removed in QEMU 8\.0/],
  ])("rule 11 for %j", (vf, status, reason) => {
    const { vf: check } = run({ virtiofsd: [vf] });
    expect(check.status).toBe(status);
    expect(check.reason).toMatch(reason);
  });

  it("not found → UNKNOWN", () => {
    expect(run({ virtiofsd: [] }).vf.status).toBe("UNKNOWN");
  });

  it("CH v22.1 with virtiofsd 1.13 is not a DAX pair: blocked by the daemon", () => {
    const { a, headline } = run({ ch: "v22.1", chHelpDax: true, virtiofsd: [RUST_NEW] });
    expect(a.stackDaxCapable).toBe(false);
    expect(a.verdict).toBe("platform-ready");
    expect(headline).toMatch(/blocked by the daemon/);
  });

  it("several binaries: the legacy one makes the pair", () => {
    const { a } = run({
      ch: "v22.1",
      virtiofsd: [RUST_NEW, { path: "/opt/kata/libexec/virtiofsd", versionLine: "virtiofsd 1.10.1" }],
    });
    expect(a.stackDaxCapable).toBe(true);
  });
});
