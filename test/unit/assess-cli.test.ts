// npm run -s assess -- <file> [--guest-profile <json>] [--json]: exit codes and JSON keys.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildProbeDocument,
  captureDocument,
  captureSections,
  syntheticStackSections,
} from "@/test/support/capture-document";
import { zeroCopySections } from "@/test/support/zero-copy-sections";

const root = path.resolve(__dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");
const dir = mkdtempSync(path.join(tmpdir(), "daxboard-cli-"));
const write = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const cli = (...args: string[]) =>
  spawnSync(tsx, [path.join(root, "lib/cli/assess.ts"), ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });

describe("assess CLI", () => {
  const kunpeng = write("kunpeng.txt", captureDocument("hisilicon-kunpeng-920-taishan200-linuxhw"));

  it("prints a readable report and exits 0", () => {
    const r = cli(kunpeng);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^DAXboard offline assessment/);
    expect(r.stdout).toMatch(/Verdict: unknown/);
    expect(r.stdout).toMatch(/platform\.gic/);
  });

  it("--json prints one object with the stable keys; unknowns are null", () => {
    const r = cli(kunpeng, "--json");
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of [
      "arch",
      "kernelRelease",
      "pageSize",
      "cpus",
      "product",
      "platformClass",
      "bootMethod",
      "gic",
      "kvm",
      "ipaBits",
      "virtualized",
      "cloudHypervisor",
      "virtiofsd",
    ])
      expect(j.facts).toHaveProperty(k);
    expect(j.facts.cpus[0]).toEqual({ implementer: "0x48", part: "0xd01", core: "TaiShan v110 (TSV110)", count: null });
    expect(j.facts.ipaBits).toBe(48);
    expect(j.facts.kvm).toBeNull();
    expect(j.facts.cloudHypervisor).toBeNull();
    for (const c of j.checks)
      expect(Object.keys(c)).toEqual(expect.arrayContaining(["id", "status", "reason", "remediation", "source"]));
    expect(["ready", "ready-with-warnings", "platform-ready", "not-ready", "unknown", "n/a"]).toContain(j.verdict);
    expect(j.cacheSize).toEqual(expect.objectContaining({ bytes: 2 ** 31, human: "2G", limitedBy: "memmap-budget" }));
    expect(typeof j.cacheSize.explanation).toBe("string");
    expect(j.rulesVersion).toMatch(/\S/);
  });

  it("applies --guest-profile given inline or as a file", () => {
    const inline = JSON.parse(cli(kunpeng, "--json", "--guest-profile", '{"pageSize":65536}').stdout);
    expect(inline.cacheSize.human).toBe("8G");
    const file = write("profile.json", JSON.stringify({ ramMiB: 512 }));
    expect(JSON.parse(cli(kunpeng, "--guest-profile", file, "--json").stdout).cacheSize.human).toBe("512M");
  });

  it("exits 2 on unreadable input", () => {
    expect(cli(path.join(dir, "missing.txt")).status).toBe(2);
    expect(cli(write("junk.txt", "not a probe document\n")).status).toBe(2);
    expect(cli().status).toBe(2);
    expect(cli(kunpeng, "--guest-profile", '{"pageSize":1}').status).toBe(2);
    expect(cli(kunpeng, "--guest-profile", "{oops").status).toBe(2);
  });

  // A real capture with a synthetic upstream CH offering --pmem, KSM on and Firecracker: path B is the best path.
  const pmemHost = write(
    "kunpeng-pmem.txt",
    buildProbeDocument("cliTok", [
      ...captureSections("hisilicon-kunpeng-920-taishan200-linuxhw"),
      ...syntheticStackSections({ ch: "v41.0.0", kvm: { present: true } }),
      ...zeroCopySections({
        chPmem: true,
        ksm: { run: 1, pagesSharing: 10 },
        kata: "absent",
        vmms: [{ id: "firecracker" }],
      }),
    ]),
  );

  it("--json: paths is an array of {id, verdict, checks, config, …} and bestPath one of its ids or null", () => {
    const j = JSON.parse(cli(pmemHost, "--json").stdout);
    expect(j.paths.map((p: { id: string }) => p.id)).toEqual(["virtiofs-dax", "pmem-dax", "ksm", "firecracker"]);
    for (const p of j.paths) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(["id", "verdict", "checks", "config", "title", "summary"]));
      expect(["ready", "ready-with-warnings", "blocked", "unknown", "n/a"]).toContain(p.verdict);
      for (const c of p.checks)
        expect(Object.keys(c)).toEqual(expect.arrayContaining(["id", "status", "reason", "remediation", "source"]));
    }
    expect(j.bestPath).toBe("pmem-dax");
    expect(j.paths[1]).toMatchObject({
      verdict: "ready",
      config: { guest: ["mount -t erofs -o ro,dax=always /dev/pmem0 /opt/libs"] },
    });
    expect(typeof j.bestPathReason).toBe("string");
    expect(JSON.parse(cli(kunpeng, "--json").stdout).bestPath).toBeNull();
  });

  it("text output lists each path with its verdict, blocking checks and config, then the best path", () => {
    const out = cli(pmemHost).stdout;
    expect(out).toMatch(/^Zero-copy paths$/m);
    expect(out).toMatch(/^  virtiofs-dax — virtio-fs DAX: blocked$/m);
    expect(out).toMatch(/^    \[FAIL   \] stack\.cloud-hypervisor: CH v41/m);
    expect(out).toMatch(/^  pmem-dax — virtio-pmem \+ DAX filesystem: ready$/m);
    expect(out).toMatch(
      /^    host: {2}cloud-hypervisor … --pmem file=\/srv\/images\/libs\.img,discard_writes=on,id=libs$/m,
    );
    expect(out).toMatch(/^Best path: pmem-dax — virtio-pmem/m);
  });

  it("reports n/a for an x86 capture", () => {
    const r = cli(write("x86.txt", captureDocument("x86-64-amd-ryzen-ai-max-395-framework-desktop")), "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe("n/a");
  });
});
