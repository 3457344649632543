// Path C — KSM page merging (DOMAIN.md §7 C): host CONFIG_KSM, ksm/run, CH mergeable=, host page size, the
// vhost-user conflict and the side-channel cost the operator can accept.
import { describe, expect, it } from "vitest";
import { host, known, PMEM_READY } from "./readiness-paths-host";

const ksm = (spec: Parameters<typeof host>[0] = {}) => host({ zeroCopy: PMEM_READY, ...spec });

describe("C: KSM on the host", () => {
  it("KSM on (run=1) → PASS with pages_sharing and the memory it saves", () => {
    const r = ksm().check("ksm", "ksm.run");
    expect(r.status).toBe("PASS");
    expect(r.reason).toBe("ksmd is running (run=1); pages_sharing=2560 (≈ 10 MiB saved)");
  });

  it("KSM off (run=0) → WARN with the fix and how to persist it; the config turns it on", () => {
    const { check, path } = ksm({ zeroCopy: { ...PMEM_READY, ksm: { run: 0 } } });
    const r = check("ksm", "ksm.run");
    expect(r.status).toBe("WARN");
    expect(r.remediation).toMatch(/echo 1 > \/sys\/kernel\/mm\/ksm\/run.*tmpfiles\.d/);
    expect(path("ksm").config?.host[0]).toBe("echo 1 | sudo tee /sys/kernel/mm/ksm/run");
    expect(ksm().path("ksm").config?.host[0]).not.toMatch(/tee/);
  });

  it("CONFIG_KSM: from the kernel config, or proven by /sys/kernel/mm/ksm when no config is readable", () => {
    expect(ksm({ zeroCopy: { ...PMEM_READY, ksmConfig: "y" } }).check("ksm", "ksm.kernel").reason).toMatch(
      /CONFIG_KSM=y in the host kernel config/,
    );
    expect(ksm().check("ksm", "ksm.kernel").reason).toMatch(/\/sys\/kernel\/mm\/ksm exists/);
  });

  it("no CONFIG_KSM → FAIL and the path is blocked (config 'is not set' or no sysfs directory)", () => {
    const notSet = ksm({ zeroCopy: { ...PMEM_READY, ksm: { present: false }, ksmConfig: "n" } });
    expect(notSet.check("ksm", "ksm.kernel").status).toBe("FAIL");
    expect(notSet.check("ksm", "ksm.run").status).toBe("INFO");
    expect(notSet.path("ksm").verdict).toBe("blocked");
    const noSysfs = ksm({ zeroCopy: { ...PMEM_READY, ksm: { present: false } } });
    expect(noSysfs.check("ksm", "ksm.kernel").reason).toMatch(/built without CONFIG_KSM/);
  });

  it("a kernel config read before CONFIG_KSM was kept proves nothing → UNKNOWN", () => {
    const { check } = host({ sections: { "kernel-config": "CONFIG_KVM=y" } });
    expect(check("ksm", "ksm.kernel").status).toBe("UNKNOWN");
  });

  it("run unreadable → UNKNOWN with a hint", () => {
    const r = ksm({
      facts: { ksm: known({ present: true, run: null, pagesSharing: null, pagesShared: null, maxPageSharing: null }) },
    });
    expect(r.check("ksm", "ksm.run").status).toBe("UNKNOWN");
    expect(r.path("ksm").verdict).toBe("unknown");
  });
});

describe("C: VMM, page size, vhost-user, cost", () => {
  it("no Cloud Hypervisor → no path", () => {
    const { check, path } = ksm({
      sections: { ch: "cloud-hypervisor: not found" },
      zeroCopy: { ch: "absent", ksm: { run: 1 } },
    });
    expect(check("ksm", "ksm.ch-option").status).toBe("FAIL");
    expect(path("ksm").verdict).toBe("blocked");
  });

  it("--memory without mergeable= → FAIL", () =>
    expect(ksm({ zeroCopy: { ...PMEM_READY, mergeable: false } }).check("ksm", "ksm.ch-option").status).toBe("FAIL"));

  it("64K host pages → WARN (medium); 4K → PASS", () => {
    const big = ksm({ sections: { pagesize: "65536" } }).check("ksm", "ksm.page-size");
    expect(big.status).toBe("WARN");
    expect(big.reason).toMatch(/64K host pages.*medium confidence/);
    expect(ksm().check("ksm", "ksm.page-size").status).toBe("PASS");
  });

  it("virtiofsd installed → WARN on the shared=off conflict; without it → INFO", () => {
    expect(ksm().check("ksm", "ksm.vhost-user").status).toBe("WARN");
    const none = ksm({ sections: { virtiofsd: "virtiofsd: not found" } }).check("ksm", "ksm.vhost-user");
    expect(none.status).toBe("INFO");
    expect(none.reason).toMatch(/shared=off,hugepages=off/);
  });

  it("side channels: WARN until accepted in the guest profile, then INFO 'accepted'", () => {
    expect(ksm().check("ksm", "ksm.side-channel").status).toBe("WARN");
    const ok = ksm({ sections: { virtiofsd: "virtiofsd: not found" }, guest: { ksmRiskAccepted: true } });
    expect(ok.check("ksm", "ksm.side-channel").reason).toMatch(/^accepted in the guest profile/);
    expect(ok.path("ksm").verdict).toBe("ready");
  });

  it("config: --memory size=<guest RAM>M,mergeable=on,shared=off,hugepages=off", () => {
    const cfg = ksm({ guest: { ramMiB: 4096 } }).path("ksm").config!;
    expect(cfg.host).toContain("cloud-hypervisor … --memory size=4096M,mergeable=on,shared=off,hugepages=off");
    expect(cfg.guest).toEqual([]);
  });

  it("real capture (AmpereOne, 64K kernel) with KSM on: the page-size WARN", () => {
    const { check } = host({
      capture: "ampereone-a192-32x-supermicro-ubuntu-64k",
      stack: { ch: "v41.0.0", kvm: { present: true } },
      zeroCopy: PMEM_READY,
    });
    expect(check("ksm", "ksm.page-size").status).toBe("WARN");
    expect(check("ksm", "ksm.run").status).toBe("PASS");
  });
});
