// Path B — virtio-pmem + a DAX filesystem (DOMAIN.md §7 B): host side, guest side, caveats and the paste-ready
// configuration.
import { describe, expect, it } from "vitest";
import { guestConfigGaps } from "@/lib/readiness/guest-config";
import { DEFAULT_GUEST_PROFILE } from "@/lib/readiness/guest-profile";
import { KATA_CLH_QEMU } from "@/test/support/zero-copy-sections";
import { host, known, PMEM_READY } from "./readiness-paths-host";

const PMEM_CONFIG = [
  "CONFIG_VIRTIO_PMEM=y",
  "CONFIG_LIBNVDIMM=y",
  "CONFIG_BLK_DEV_PMEM=y",
  "CONFIG_ZONE_DEVICE=y",
  "CONFIG_MEMORY_HOTPLUG=y",
  "CONFIG_MEMORY_HOTREMOVE=y",
  "CONFIG_SPARSEMEM_VMEMMAP=y",
  "CONFIG_DAX=y",
  "CONFIG_FS_DAX=y",
  "CONFIG_EROFS_FS=y",
  "CONFIG_ARM64_PMEM=y",
].join("\n");

const pmem = (spec: Parameters<typeof host>[0] = {}) => host({ zeroCopy: PMEM_READY, ...spec });

describe("B host side", () => {
  it("real capture (Kunpeng 920) + CH v41 with --pmem and discard_writes → ready", () => {
    const { path, check } = host({
      capture: "hisilicon-kunpeng-920-taishan200-linuxhw",
      stack: { ch: "v41.0.0", kvm: { present: true } },
      zeroCopy: PMEM_READY,
    });
    expect(check("pmem-dax", "pmem.ch-option")).toMatchObject({ status: "PASS" });
    expect(check("pmem-dax", "pmem.discard-writes").status).toBe("PASS");
    expect(path("pmem-dax").verdict).toBe("ready");
    expect(path("pmem-dax").summary).toMatch(/one host copy for every guest/);
  });

  it("CH not installed → FAIL: no VMM, no path", () => {
    const { check, path } = pmem({ sections: { ch: "cloud-hypervisor: not found" }, zeroCopy: { ch: "absent" } });
    expect(check("pmem-dax", "pmem.ch-option").status).toBe("FAIL");
    expect(path("pmem-dax").verdict).toBe("blocked");
  });

  it("a CH build without --pmem → FAIL; without discard_writes → WARN naming the advisory", () => {
    expect(pmem({ zeroCopy: { chPmem: false } }).check("pmem-dax", "pmem.ch-option").status).toBe("FAIL");
    const noDiscard = pmem({ zeroCopy: { chPmem: true, discardWrites: false } });
    const d = noDiscard.check("pmem-dax", "pmem.discard-writes");
    expect(d.status).toBe("WARN");
    expect(d.reason).toMatch(/MAP_SHARED.*GHSA-wwj6-vghv-5p64/);
    expect(noDiscard.path("pmem-dax").verdict).toBe("ready-with-warnings");
  });

  it("CH not checked at all → UNKNOWN", () =>
    expect(pmem({ sections: { ch: null } }).check("pmem-dax", "pmem.ch-option").status).toBe("UNKNOWN"));

  it("chOptions overridden as facts: pmem false blocks, pmem true passes", () => {
    const off = pmem({ facts: { chOptions: known({ pmem: false, discardWrites: false, mergeable: true }) } });
    expect(off.path("pmem-dax").verdict).toBe("blocked");
    const on = pmem({ facts: { chOptions: known({ pmem: true, discardWrites: true, mergeable: true }) } });
    expect(on.path("pmem-dax").verdict).toBe("ready");
  });
});

describe("B guest kernel version (fs/dax arm64 regression)", () => {
  const status = (kernelVersion: string, daxFixBackported = false) =>
    pmem({ guest: { kernelVersion, daxFixBackported } }).check("pmem-dax", "pmem.guest-kernel").status;

  it("6.1 → PASS (before 6.15)", () => expect(status("6.1")).toBe("PASS"));
  it("6.18.10 → FAIL, and the path is blocked", () => {
    expect(status("6.18.10")).toBe("FAIL");
    expect(pmem({ guest: { kernelVersion: "6.18.10" } }).path("pmem-dax").verdict).toBe("blocked");
  });
  it("6.18.54 → PASS (fixed stable)", () => expect(status("6.18.54")).toBe("PASS"));
  it("6.18.10 with the backport ticked → PASS", () => expect(status("6.18.10", true)).toBe("PASS"));
  it("6.18 without a patch level → UNKNOWN asking for it", () => {
    const c = pmem({ guest: { kernelVersion: "6.18" } }).check("pmem-dax", "pmem.guest-kernel");
    expect(c.status).toBe("UNKNOWN");
    expect(c.remediation).toMatch(/6\.18\.54/);
  });
  it("7.2.7 → FAIL, 7.2.8 → PASS, 7.2 → UNKNOWN", () => {
    expect(status("7.2.7")).toBe("FAIL");
    expect(status("7.2.8")).toBe("PASS");
    expect(status("7.2")).toBe("UNKNOWN");
  });
  it("6.15, 6.16.3, 7.0 → FAIL (no fixed stable); 7.3 → PASS (mainline fix)", () => {
    expect(status("6.15")).toBe("FAIL");
    expect(status("6.16.3")).toBe("FAIL");
    expect(status("7.0")).toBe("FAIL");
    expect(status("7.3")).toBe("PASS");
  });
  it("5.4 → FAIL (arm64 FS_DAX from 5.7)", () => expect(status("5.4")).toBe("FAIL"));
});

describe("B guest kernel config", () => {
  it("none uploaded → INFO naming what to check", () => {
    const c = pmem().check("pmem-dax", "pmem.guest-config");
    expect(c.status).toBe("INFO");
    expect(c.remediation).toMatch(/CONFIG_VIRTIO_PMEM/);
  });
  it("missing VIRTIO_PMEM → FAIL naming it; path blocked", () => {
    const { check, path } = pmem({ guest: { kernelConfig: PMEM_CONFIG.replace("CONFIG_VIRTIO_PMEM=y", "") } });
    expect(check("pmem-dax", "pmem.guest-config")).toMatchObject({ status: "FAIL" });
    expect(check("pmem-dax", "pmem.guest-config").reason).toMatch(/lacks CONFIG_VIRTIO_PMEM for virtio-pmem \+ erofs/);
    expect(path("pmem-dax").verdict).toBe("blocked");
  });
  it("missing EROFS → FAIL with the ch_defconfig note; ext4 profiles need EXT4_FS instead", () => {
    const noErofs = PMEM_CONFIG.replace("CONFIG_EROFS_FS=y", "# CONFIG_EROFS_FS is not set");
    expect(pmem({ guest: { kernelConfig: noErofs } }).check("pmem-dax", "pmem.guest-config").reason).toMatch(
      /ch_defconfig/,
    );
    const ext4 = pmem({ guest: { kernelConfig: noErofs, fsType: "ext4" } }).check("pmem-dax", "pmem.guest-config");
    expect(ext4.reason).toMatch(/CONFIG_EXT4_FS/);
    expect(
      pmem({ guest: { kernelConfig: `${noErofs}\nCONFIG_EXT4_FS=y`, fsType: "ext4" } }).path("pmem-dax").verdict,
    ).toBe("ready");
  });
  it("complete but no ARM64_PMEM → WARN; complete → PASS", () => {
    const noArm = PMEM_CONFIG.replace("CONFIG_ARM64_PMEM=y", "");
    expect(pmem({ guest: { kernelConfig: noArm } }).check("pmem-dax", "pmem.guest-config").status).toBe("WARN");
    expect(pmem({ guest: { kernelConfig: PMEM_CONFIG } }).check("pmem-dax", "pmem.guest-config").status).toBe("PASS");
  });
  it("guestConfigGaps lists what each path lacks", () => {
    const gaps = guestConfigGaps({ ...DEFAULT_GUEST_PROFILE, kernelConfig: PMEM_CONFIG.replace("CONFIG_DAX=y", "") });
    expect(gaps?.["pmem-dax"]).toEqual(["CONFIG_DAX"]);
    expect(gaps?.["virtiofs-dax"]).toEqual(["CONFIG_VIRTIO_FS", "CONFIG_FUSE_DAX", "CONFIG_DAX"]);
    expect(gaps?.pmemRecommended).toEqual([]);
    expect(guestConfigGaps(DEFAULT_GUEST_PROFILE)).toBeNull();
  });
});

describe("B caveats, Kata and configuration", () => {
  it("the write caveat and the cgroup advice are always shown", () => {
    const { check } = pmem();
    expect(check("pmem-dax", "pmem.write-caveat")).toMatchObject({ status: "INFO" });
    expect(check("pmem-dax", "pmem.write-caveat").reason).toMatch(/GHSA-wwj6-vghv-5p64.*discard_writes=on/);
    expect(check("pmem-dax", "pmem.memory").reason).toMatch(/memory cgroup/);
  });
  it("image of 25 % or more of guest RAM → WARN saying why; smaller → INFO", () => {
    const big = pmem({ guest: { imageSizeMiB: 1024 } }).check("pmem-dax", "pmem.memory");
    expect(big.status).toBe("WARN");
    expect(big.reason).toMatch(/1024 MiB \(50 % of its 2048 MiB RAM\).*25 %/);
    expect(pmem({ guest: { imageSizeMiB: 256 } }).check("pmem-dax", "pmem.memory").status).toBe("INFO");
  });
  it("Kata 3.27 installed → INFO: no pmem with CH since 3.27; Kata 3.20 → upgrade advice", () => {
    const k = pmem({ zeroCopy: { ...PMEM_READY, kata: KATA_CLH_QEMU } }).check("pmem-dax", "pmem.kata");
    expect(k.status).toBe("INFO");
    expect(k.reason).toMatch(/Kata 3\.27\.0 no longer uses virtio-pmem/);
    const old = pmem({ zeroCopy: { ...PMEM_READY, kata: { ...KATA_CLH_QEMU, version: "3.20.0" } } });
    expect(old.check("pmem-dax", "pmem.kata").remediation).toMatch(/upgrade Kata/);
    expect(old.path("pmem-dax").verdict).toBe("ready");
  });
  it("erofs config: -b guest page, -Enoinline_data, no -z, padded to 2 MiB, read-only, discard_writes, dax mount", () => {
    const cfg = pmem({ guest: { pageSize: 16384 }, sections: { pagesize: "16384" } }).path("pmem-dax").config!;
    expect(cfg.host).toEqual([
      "mkfs.erofs -b 16384 -Enoinline_data /srv/images/libs.img /srv/libs",
      "truncate -s %2M /srv/images/libs.img",
      "chmod 0444 /srv/images/libs.img",
      "cloud-hypervisor … --pmem file=/srv/images/libs.img,discard_writes=on,id=libs",
    ]);
    expect(cfg.host.join(" ")).not.toMatch(/ -z/);
    expect(cfg.guest).toEqual(["mount -t erofs -o ro,dax=always /dev/pmem0 /opt/libs"]);
  });
  it("ext4 config: sized to a 2 MiB multiple before mkfs.ext4 -b <guest page>", () => {
    const cfg = pmem({ guest: { fsType: "ext4", imageSizeMiB: 301 } }).path("pmem-dax").config!;
    expect(cfg.host.slice(0, 2)).toEqual([
      "truncate -s 302M /srv/images/libs.img",
      "mkfs.ext4 -b 4096 -d /srv/libs /srv/images/libs.img",
    ]);
    expect(cfg.guest).toEqual(["mount -t ext4 -o ro,dax=always /dev/pmem0 /opt/libs"]);
  });
});
