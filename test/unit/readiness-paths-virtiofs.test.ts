// Path A — virtio-fs DAX (DOMAIN.md §4 rules 10–13, §7 A): it reuses the overall verdict's checks, adds the
// future-path note and, when Kata is installed, what Kata's CH driver does with virtio_fs_cache_size.
import { describe, expect, it } from "vitest";
import { KATA_CLH_QEMU } from "@/test/support/zero-copy-sections";
import { host, PMEM_READY } from "./readiness-paths-host";

const LEGACY = {
  ch: "path=/opt/ch/bin/cloud-hypervisor\ncloud-hypervisor v22.1",
  virtiofsd: "path=/usr/libexec/virtiofsd\nvirtiofsd 1.10.1",
};

describe("A: virtio-fs DAX", () => {
  it("reuses rules 10–13 and adds the future-path note", () => {
    const { a, path } = host({ zeroCopy: PMEM_READY });
    const ids = path("virtiofs-dax").checks.map((c) => c.id);
    expect(ids).toEqual([
      "virtiofs.platform",
      "stack.cloud-hypervisor",
      "stack.virtiofsd",
      "stack.dax-pair",
      "guest.kernel-version",
      "guest.kernel-config",
      "guest.cache-size",
      "virtiofs.future-path",
    ]);
    const stack = a.checks.find((c) => c.id === "stack.cloud-hypervisor");
    expect(path("virtiofs-dax").checks[1]).toEqual(stack);
    expect(path("virtiofs-dax").verdict).toBe("blocked");
    expect(path("virtiofs-dax").summary).toMatch(/^Cloud Hypervisor: CH v41\.0\.0 has no DAX/);
  });

  it("the future-path note names what a release would need", () => {
    const f = host().check("virtiofs-dax", "virtiofs.future-path");
    expect(f.status).toBe("INFO");
    for (const must of [/SHMEM_MAP/, /rust-vmm\/vhost ≥ 0\.17\.0/, /MR !318/, /#8317/]) expect(f.reason).toMatch(must);
  });

  it("the legacy pair → ready-with-warnings, like the overall verdict", () => {
    const { a, path } = host({ sections: LEGACY });
    expect(a.verdict).toBe("ready-with-warnings");
    expect(path("virtiofs-dax").verdict).toBe("ready-with-warnings");
    expect(path("virtiofs-dax").summary).toMatch(
      /^legacy DAX-capable stack .*cache_size=2G; warnings: Cloud Hypervisor/,
    );
  });

  it("a guest config FAIL blocks A as it makes the overall verdict platform-ready", () => {
    const { a, path } = host({ sections: LEGACY, guest: { kernelConfig: "CONFIG_VIRTIO_FS=y" } });
    expect(a.verdict).toBe("platform-ready");
    expect(path("virtiofs-dax").verdict).toBe("blocked");
  });

  it("CH and virtiofsd not checked → unknown", () =>
    expect(host({ sections: { ch: null, virtiofsd: null } }).path("virtiofs-dax").verdict).toBe("unknown"));

  it("config: legacy --fs with the recommended cache_size, virtiofsd and the guest mount", () => {
    const cfg = host().path("virtiofs-dax").config!;
    expect(cfg.host).toEqual([
      "virtiofsd --socket-path=/run/virtiofsd-libs.sock --shared-dir=/srv/libs --cache=always",
      "cloud-hypervisor … --memory size=2048M,shared=on --fs tag=libs,socket=/run/virtiofsd-libs.sock,dax=on,cache_size=2G",
    ]);
    expect(cfg.guest).toEqual(["mount -t virtiofs libs /opt/libs -o dax=always"]);
    expect(cfg.notes[0]).toMatch(/^legacy stack only: Cloud Hypervisor ≤ v22\.1/);
    expect(host({ guest: { kernelVersion: "5.15" } }).path("virtiofs-dax").config?.guest).toEqual([
      "mount -t virtiofs libs /opt/libs -o dax",
    ]);
  });

  it("no config without a cache size (platform FAIL)", () =>
    expect(host({ sections: { kvm: "exists=no" } }).path("virtiofs-dax").config).toBeNull());
});

describe("A: Kata installed", () => {
  it("quotes the virtio_fs_cache_size line and the file it read: no effect with CH", () => {
    const { check, path } = host({ zeroCopy: { ...PMEM_READY, kata: KATA_CLH_QEMU } });
    const k = check("virtiofs-dax", "virtiofs.kata");
    expect(k.status).toBe("INFO");
    expect(k.reason).toMatch(
      /^Kata 3\.27\.0 is installed: its Cloud Hypervisor driver hard-codes DAX off .*"virtio_fs_cache_size = 0" in \/opt\/kata\/share\/defaults\/kata-containers\/configuration-clh\.toml has no effect with CH/,
    );
    expect(k.reason).toMatch(/48aa077e8c/);
    expect(k.evidence).toEqual([
      {
        fact: "kata.virtio_fs_cache_size",
        value: "virtio_fs_cache_size = 0",
        section: "kata /opt/kata/share/defaults/kata-containers/configuration-clh.toml",
      },
    ]);
    expect(path("virtiofs-dax").verdict).toBe("blocked"); // INFO never changes the verdict
  });

  it("no Kata → no Kata check", () =>
    expect(
      host({ zeroCopy: PMEM_READY })
        .path("virtiofs-dax")
        .checks.some((c) => c.id === "virtiofs.kata"),
    ).toBe(false));
});
