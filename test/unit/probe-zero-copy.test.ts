// The zero-copy sections (issue 13): ch-options, ksm, kata, vmms and CONFIG_KSM in kernel-config, parsed from
// documents that carry them, from the real CH --help captures, from garbled bodies, and — held out — from every
// real capture, which predates them and must read as not collected (never a crash, never a guess).
import { describe, expect, it } from "vitest";
import { parseFacts } from "@/lib/probe/facts";
import { parseChOptions } from "@/lib/probe/parse-zero-copy";
import { parseKataText, parseVmmsText } from "@/lib/probe/parse-kata-vmms";
import {
  buildProbeDocument,
  captureDocument,
  listCaptures,
  readCaptureFile,
  type DocSection,
} from "@/test/support/capture-document";
import { KATA_CLH_QEMU, zeroCopySections, type ZeroCopyOptions } from "@/test/support/zero-copy-sections";

const BASE: DocSection[] = [{ name: "arch", rc: 0, body: "aarch64" }];
const factsOf = (sections: DocSection[]) => parseFacts(buildProbeDocument("tok", [...BASE, ...sections])).facts;
const factsWith = (o: ZeroCopyOptions) => factsOf(zeroCopySections(o));
const help = (version: string) => readCaptureFile("cloud-hypervisor", `help-${version}/ch-help.txt`) ?? "";

describe("ch-options", () => {
  it("reads --pmem with discard_writes and --memory mergeable", () => {
    expect(factsWith({ chPmem: true, mergeable: true }).chOptions).toEqual({
      known: true,
      value: { pmem: true, discardWrites: true, mergeable: true },
      source: "ch-options",
      confidence: "high",
    });
  });

  it("a build without --pmem or mergeable= says so", () => {
    expect(factsWith({ chPmem: false, mergeable: false }).chOptions).toMatchObject({
      known: true,
      value: { pmem: false, discardWrites: false, mergeable: false },
    });
    expect(factsWith({ chPmem: true, discardWrites: false }).chOptions).toMatchObject({
      value: { pmem: true, discardWrites: false, mergeable: true },
    });
  });

  it("no Cloud Hypervisor → not applicable; no section → not collected; a failed section → its rc", () => {
    expect(factsWith({ ch: "absent" }).chOptions).toMatchObject({ known: false, reason: "not-applicable" });
    expect(factsOf([]).chOptions).toMatchObject({ known: false, reason: "not-collected" });
    const failed = factsOf([{ name: "ch-options", rc: 126, body: "sh: permission denied" }]).chOptions;
    expect(failed).toMatchObject({ known: false, reason: "permission-denied", source: "ch-options" });
  });

  it.each([["v18.0"], ["v37.0"]])("reads the whole --help of the real %s capture", (version) => {
    const text = help(version);
    expect(text).toMatch(/--memory-zone/);
    expect(parseChOptions(text)).toEqual({ pmem: true, discardWrites: true, mergeable: true });
    expect(factsOf([{ name: "ch-options", rc: 0, body: text }]).chOptions).toMatchObject({
      known: true,
      value: { pmem: true, discardWrites: true, mergeable: true },
    });
  });

  it("mergeable= counts only in --memory (v18.0's --pmem also offers one)", () => {
    const text = help("v18.0").replace(/(--memory <memory>.*?)mergeable=on\|off,/, "$1");
    expect(parseChOptions(text)).toEqual({ pmem: true, discardWrites: true, mergeable: false });
  });

  it("joins wrapped continuation lines and stops at the next option", () => {
    const text = [
      "        --memory <memory>                  Memory parameters",
      '                                           "size=<guest_memory_size>,mergeable=on|off"',
      "        --pmem <pmem>                      Persistent memory parameters",
      '                                           "file=<backing_file_path>,discard_wri',
      'tes=on|off"',
      '        --net <net>                        Network parameters "tap=<if_name>,discard_writes=on|off"',
    ].join("\n");
    expect(parseChOptions(text)).toEqual({ pmem: true, discardWrites: true, mergeable: true });
    expect(parseChOptions(text.replace("discard_wri", "x"))).toMatchObject({ discardWrites: false });
  });

  it("text that is no --help is unparseable, not 'no pmem'", () => {
    expect(parseChOptions("garbage\n--pmem")).toBeNull();
    expect(factsOf([{ name: "ch-options", rc: 0, body: "Segmentation fault" }]).chOptions).toMatchObject({
      known: false,
      reason: "unparseable",
    });
  });
});

describe("ksm and CONFIG_KSM", () => {
  it("KSM on", () => {
    const f = factsWith({ ksm: { run: 1, pagesSharing: 48213, pagesShared: 5120 }, ksmConfig: "y" });
    expect(f.ksm).toMatchObject({
      known: true,
      value: { present: true, run: 1, pagesSharing: 48213, pagesShared: 5120, maxPageSharing: 256 },
    });
    expect(f.kernelConfig).toMatchObject({ known: true, value: { CONFIG_KSM: "y" } });
  });

  it("KSM compiled in but off", () => {
    expect(factsWith({ ksm: { run: 0, pagesSharing: 0 } }).ksm).toMatchObject({
      known: true,
      value: { present: true, run: 0, pagesSharing: 0, pagesShared: null },
    });
  });

  it("no /sys/kernel/mm/ksm (kernel without CONFIG_KSM)", () => {
    const f = factsWith({ ksm: { present: false }, ksmConfig: "n" });
    expect(f.ksm).toMatchObject({ known: true, value: { present: false, run: null } });
    expect(f.kernelConfig).toMatchObject({ known: true, value: { CONFIG_KSM: "n" } });
  });

  it("garbled counters are unknown, a body without present= is unparseable", () => {
    const garbled = factsOf([{ name: "ksm", rc: 0, body: "present=yes\nrun=on\npages_sharing=-5\npages_shared=1e9" }]);
    expect(garbled.ksm).toMatchObject({ known: true, value: { run: null, pagesSharing: null, pagesShared: null } });
    expect(factsOf([{ name: "ksm", rc: 0, body: "present=maybe" }]).ksm).toMatchObject({ reason: "unparseable" });
  });
});

describe("kata", () => {
  it("a host with Kata installed: runtime version and the CH and QEMU configurations", () => {
    const f = factsWith({ kata: KATA_CLH_QEMU });
    expect(f.kata.known).toBe(true);
    if (!f.kata.known || !f.kata.value.found) throw new Error("kata not found");
    const k = f.kata.value;
    expect(k).toMatchObject({
      path: "/opt/kata/bin/kata-runtime",
      versionText: "kata-runtime  : 3.27.0",
      version: { major: 3, minor: 27, patch: 0 },
    });
    expect(k.configs.map((c) => c.hypervisor)).toEqual(["clh", "qemu"]);
    expect(k.configs[0]).toMatchObject({
      path: "/opt/kata/share/defaults/kata-containers/configuration-clh.toml",
      sharedFs: "virtio-fs",
      virtioFsCacheSize: 0,
      virtioFsCache: "auto",
      image: "/opt/kata/share/kata-containers/kata-containers.img",
      initrd: null,
    });
    expect(k.configs[0].lines).toContain("virtio_fs_cache_size = 0");
  });

  it("configuration files without a runtime still count as Kata; nothing at all is not found", () => {
    const onlyConfig = parseKataText(
      'kata-runtime: not found\nconfig=/etc/kata-containers/configuration.toml\nshared_fs = "virtio-fs" # comment',
    );
    expect(onlyConfig).toMatchObject({ found: true, path: null, version: null });
    expect(onlyConfig?.found && onlyConfig.configs[0]).toMatchObject({ hypervisor: "other", sharedFs: "virtio-fs" });
    expect(factsWith({ kata: "absent" }).kata).toMatchObject({ known: true, value: { found: false } });
  });

  it("is bounded: at most 12 configurations of 40 lines", () => {
    const many = Array.from({ length: 30 }, (_, i) => `config=/etc/kata-containers/configuration-qemu-${i}.toml`);
    const lines = Array.from({ length: 100 }, () => "image = x");
    const k = parseKataText(["runtime=/x", ...many.flatMap((c) => [c, ...lines])].join("\n"));
    expect(k?.found && k.configs.length).toBe(12);
    expect(k?.found && k.configs[0].lines.length).toBe(40);
  });

  it("garbage is unparseable", () => {
    expect(factsOf([{ name: "kata", rc: 0, body: "\u0000\u0001 kata?" }]).kata).toMatchObject({
      reason: "unparseable",
    });
  });
});

describe("vmms", () => {
  it("Firecracker and QEMU with their versions", () => {
    const f = factsWith({ vmms: [{ id: "firecracker" }, { id: "qemu" }] });
    expect(f.otherVmms).toMatchObject({
      known: true,
      value: [
        { id: "firecracker", path: "/usr/local/bin/firecracker", version: { major: 1, minor: 14, patch: 0 } },
        {
          id: "qemu",
          versionText: "QEMU emulator version 9.2.0 (Debian 1:9.2.0+ds-1)",
          version: { major: 9, minor: 2, patch: 0 },
        },
      ],
    });
  });

  it("crosvm and a libkrun library; none", () => {
    expect(
      parseVmmsText("vmm=crosvm path=/usr/bin/crosvm\ncrosvm 0.1.0\nvmm=libkrun path=/usr/lib64/libkrun.so.1"),
    ).toEqual([
      { id: "crosvm", path: "/usr/bin/crosvm", versionText: "crosvm 0.1.0", version: { major: 0, minor: 1, patch: 0 } },
      { id: "libkrun", path: "/usr/lib64/libkrun.so.1", versionText: null, version: null },
    ]);
    expect(factsWith({ vmms: [] }).otherVmms).toMatchObject({ known: true, value: [] });
  });

  it("unknown ids and duplicates are dropped; garbage is unparseable", () => {
    expect(parseVmmsText("vmm=vmware path=/x\nvmm=qemu path=/a\nvmm=qemu path=/b")).toEqual([
      { id: "qemu", path: "/a", versionText: null, version: null },
    ]);
    expect(factsOf([{ name: "vmms", rc: 0, body: "vmm=\npath=" }]).otherVmms).toMatchObject({ reason: "unparseable" });
    expect(factsOf([{ name: "vmms", rc: 1, body: "killed" }]).otherVmms).toMatchObject({ reason: "not-collected" });
  });
});

describe("hold-out: real captures predate the zero-copy sections", () => {
  it.each(listCaptures())("%s parses with the zero-copy facts not collected", (name) => {
    const f = parseFacts(captureDocument(name)).facts;
    for (const fact of [f.chOptions, f.ksm, f.kata, f.otherVmms])
      expect(fact).toMatchObject({ known: false, reason: "not-collected" });
  });
});
