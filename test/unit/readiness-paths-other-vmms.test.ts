// Paths D — other VMMs found on the host (DOMAIN.md §7 D): one short path per VMM, with an honest verdict.
import { describe, expect, it } from "vitest";
import { host, known, PMEM_READY } from "./readiness-paths-host";

const withVmms = (vmms: NonNullable<typeof PMEM_READY.vmms>, guest = {}) =>
  host({ zeroCopy: { ...PMEM_READY, vmms }, guest });

describe("other VMMs", () => {
  it("Firecracker v1.14.0 → pmem PASS and ready with a fine guest; B's guest checks decide the rest", () => {
    const { path, check } = withVmms([{ id: "firecracker" }]);
    expect(check("firecracker", "firecracker.pmem").status).toBe("PASS");
    expect(path("firecracker").verdict).toBe("ready");
    expect(withVmms([{ id: "firecracker" }], { kernelVersion: "6.18.10" }).path("firecracker").verdict).toBe("blocked");
  });

  it("Firecracker v1.13.1 → blocked (no pmem, no virtio-fs); version unreadable → unknown", () => {
    const old = withVmms([{ id: "firecracker", versionLines: ["Firecracker v1.13.1"] }]);
    expect(old.path("firecracker").verdict).toBe("blocked");
    expect(old.check("firecracker", "firecracker.pmem").reason).toMatch(/predates virtio-pmem/);
    expect(withVmms([{ id: "firecracker", versionLines: [] }]).path("firecracker").verdict).toBe("unknown");
  });

  it("libkrun → ready-with-warnings: a real DAX window, one trust domain", () => {
    const { path, check } = withVmms([{ id: "libkrun" }]);
    expect(path("libkrun").verdict).toBe("ready-with-warnings");
    expect(check("libkrun", "libkrun.dax").reason).toMatch(/512 MiB window/);
    expect(check("libkrun", "libkrun.trust").status).toBe("WARN");
  });

  it("crosvm → blocked on arm64 (DAX window x86_64-only); QEMU → blocked (no upstream DAX window)", () => {
    const { path, check } = withVmms([{ id: "crosvm" }, { id: "qemu" }]);
    expect(path("crosvm").verdict).toBe("blocked");
    expect(check("crosvm", "crosvm.dax").reason).toMatch(/x86_64/);
    expect(path("qemu").verdict).toBe("blocked");
  });

  it("one path per VMM id, in a fixed order, from facts overridden directly", () => {
    const { a } = host({
      facts: {
        otherVmms: known([
          { id: "qemu", path: "/usr/bin/qemu-system-aarch64", versionText: "QEMU 9.2.0", version: null },
          { id: "libkrun", path: "/usr/bin/krun", versionText: null, version: null },
          { id: "libkrun", path: "/usr/lib64/libkrun.so.1", versionText: null, version: null },
        ]),
      },
    });
    expect(a.paths.map((p) => p.id)).toEqual(["virtiofs-dax", "pmem-dax", "ksm", "libkrun", "qemu"]);
  });

  it("x86 host: other VMM paths are n/a too", () => {
    const { path } = host({ sections: { arch: "x86_64" }, zeroCopy: { vmms: [{ id: "crosvm" }] } });
    expect(path("crosvm").verdict).toBe("n/a");
  });
});
