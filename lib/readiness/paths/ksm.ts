// Path C — KSM page merging (CH --memory …,mergeable=on, DOMAIN.md §7 C). Partial: ksmd dedups identical anonymous
// guest pages after the fact. CH calls madvise(MADV_MERGEABLE); the kernel ignores it for VM_SHARED and hugetlb
// mappings, hence shared=off,hugepages=off — which rules out vhost-user devices (virtio-fs) in that VM.
import type { Facts } from "../../probe/types";
import { check, evidence, prose, unknownText } from "../check";
import { SOURCES } from "../sources";
import type { Check, PathConfig, ZeroCopyPath } from "../types";
import { makePath, pathBase, type PathContext } from "./path-check";
import { rulePathPlatform, VM_PLATFORM_WARNINGS } from "./platform";

const ksmEvidence = (f: Facts) =>
  evidence("ksm", f.ksm, (k) =>
    k.present ? `present, run=${k.run ?? "?"}, pages_sharing=${k.pagesSharing ?? "?"}` : "no /sys/kernel/mm/ksm",
  );

// /sys/kernel/mm/ksm exists only with CONFIG_KSM=y, so its presence proves the option when no config is readable.
// The kernel-config section only keeps CONFIG_KSM since issue 13: its absence from an older document proves nothing.
export function ruleKsmKernel(f: Facts): Check {
  const cfg = f.kernelConfig.known ? (f.kernelConfig.value.CONFIG_KSM ?? null) : null;
  const base = pathBase("ksm.kernel", "Host CONFIG_KSM", SOURCES.ksmDoc, [
    { fact: "kernelConfig.CONFIG_KSM", value: cfg, section: f.kernelConfig.known ? f.kernelConfig.source : null },
    ksmEvidence(f),
  ]);
  const present = f.ksm.known && f.ksm.value.present;
  if (cfg === "y") return check({ ...base, status: "PASS", reason: "CONFIG_KSM=y in the host kernel config" });
  if (present) return check({ ...base, status: "PASS", reason: "/sys/kernel/mm/ksm exists, so CONFIG_KSM=y" });
  const remediation = "use a host kernel built with CONFIG_KSM=y (most distribution kernels are)";
  if (cfg === "n")
    return check({
      ...base,
      status: "FAIL",
      reason: "host kernel built without KSM (CONFIG_KSM is not set)",
      remediation,
    });
  if (f.ksm.known)
    return check({
      ...base,
      status: "FAIL",
      reason: "/sys/kernel/mm/ksm does not exist: the host kernel was built without CONFIG_KSM",
      remediation,
    });
  return check({
    ...base,
    status: "UNKNOWN",
    reason: `KSM not checked: ${unknownText(f.ksm)}`,
    remediation: "rescan with the current probe (it reads /sys/kernel/mm/ksm and CONFIG_KSM)",
  });
}

const PERSIST = prose`persist it with the distribution's ksm service (e.g. systemctl enable --now ksm) or a
  tmpfiles.d line "w /sys/kernel/mm/ksm/run - - - - 1"`;

export function ruleKsmRun(f: Facts): Check {
  const base = pathBase("ksm.run", "ksmd running", SOURCES.ksmDoc, [ksmEvidence(f)]);
  if (!f.ksm.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `/sys/kernel/mm/ksm/run not read: ${unknownText(f.ksm)}`,
      remediation: "rescan with the current probe",
    });
  const k = f.ksm.value;
  if (!k.present) return check({ ...base, status: "INFO", reason: "no KSM in this kernel (see ksm.kernel)" });
  if (k.run === 1) {
    const page = f.pageSize.known ? f.pageSize.value : null;
    const saved =
      k.pagesSharing !== null && page !== null ? ` (≈ ${Math.round((k.pagesSharing * page) / 2 ** 20)} MiB saved)` : "";
    return check({
      ...base,
      status: "PASS",
      reason: `ksmd is running (run=1); pages_sharing=${k.pagesSharing ?? "unreadable"}${saved}`,
    });
  }
  if (k.run === 0)
    return check({
      ...base,
      status: "WARN",
      reason: "KSM is compiled in but off (run=0): nothing is merged",
      remediation: `as root: echo 1 > /sys/kernel/mm/ksm/run; ${PERSIST}`,
    });
  if (k.run === 2)
    return check({
      ...base,
      status: "WARN",
      reason: "run=2: KSM unmerged every page and stays stopped",
      remediation: `as root: echo 1 > /sys/kernel/mm/ksm/run; ${PERSIST}`,
    });
  return check({
    ...base,
    status: "UNKNOWN",
    reason: `/sys/kernel/mm/ksm/run ${k.run === null ? "unreadable" : `has an unexpected value ${k.run}`}`,
    remediation: "make /sys/kernel/mm/ksm/run readable (it is world-readable by default)",
  });
}

// No VMM that marks guest memory mergeable, no path.
export function ruleKsmChOption(f: Facts): Check {
  const ch = f.cloudHypervisor;
  const base = pathBase("ksm.ch-option", "Cloud Hypervisor mergeable=", SOURCES.chMergeable, [
    evidence("cloudHypervisor", ch, (v) => (v.found ? (v.versionText ?? "version unreadable") : "not found")),
    evidence("chOptions", f.chOptions, (o) => `mergeable=${o.mergeable}`),
  ]);
  if (!ch.known)
    return check({ ...base, status: "UNKNOWN", reason: `Cloud Hypervisor not checked: ${unknownText(ch)}` });
  if (!ch.value.found)
    return check({
      ...base,
      status: "FAIL",
      reason: "Cloud Hypervisor is not installed: no VMM marks guest memory mergeable",
      remediation: "install Cloud Hypervisor (--memory …,mergeable=on)",
    });
  if (!f.chOptions.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `--memory mergeable= not checked: ${unknownText(f.chOptions)}`,
      remediation: "rescan with the current probe (it reads the --memory entry of cloud-hypervisor --help)",
    });
  if (!f.chOptions.value.mergeable)
    return check({
      ...base,
      status: "FAIL",
      reason: "this Cloud Hypervisor build's --memory offers no mergeable=",
      remediation: "use an upstream Cloud Hypervisor release",
    });
  return check({
    ...base,
    status: "PASS",
    reason: "--memory offers mergeable=on (CH calls madvise(MADV_MERGEABLE) on guest RAM)",
  });
}

// Medium confidence: ksmd merges whole host pages; on a 64K host one only matches when all sixteen 4K guest pages in
// it match, which unrelated guests rarely do. Page size does not decide the path, so unknown is INFO.
export function ruleKsmPageSize(f: Facts): Check {
  const base = pathBase("ksm.page-size", "Host page size for merging", SOURCES.ksmDoc, [
    evidence("pageSize", f.pageSize),
  ]);
  if (!f.pageSize.known)
    return check({ ...base, status: "INFO", reason: "host page size not read; 4K host pages merge best" });
  const page = f.pageSize.value;
  if (page === 4096) return check({ ...base, status: "PASS", reason: "4K host pages: identical 4K guest pages merge" });
  return check({
    ...base,
    status: "WARN",
    reason: prose`${page / 1024}K host pages: ksmd merges whole host pages, which match only when every guest page
      inside them matches — unrelated guests rarely share one (medium confidence)`,
    remediation: "expect little merging here; prefer 4K-page hosts for KSM",
  });
}

export function ruleKsmVhostUser(f: Facts): Check {
  const installed = f.virtiofsd.known && f.virtiofsd.value.length > 0;
  const base = pathBase("ksm.vhost-user", "No vhost-user devices", SOURCES.chMergeable, [
    evidence("virtiofsd", f.virtiofsd, (l) => l.map((d) => d.path).join("; ") || "not found"),
  ]);
  const conflict = prose`mergeable=on needs --memory shared=off,hugepages=off (the kernel does not merge VM_SHARED
    or hugetlb memory), and vhost-user devices such as virtio-fs need shared=on`;
  if (installed)
    return check({
      ...base,
      status: "WARN",
      reason: `virtiofsd is installed here: ${conflict}, so VMs with a virtio-fs device get no merging`,
      remediation: "give KSM VMs no vhost-user devices (share files through virtio-blk or virtio-pmem instead)",
    });
  return check({ ...base, status: "INFO", reason: `${conflict}: plan KSM VMs without virtio-fs` });
}

export function ruleKsmSideChannel(accepted: boolean): Check {
  const base = pathBase("ksm.side-channel", "KSM cost and side channels", SOURCES.ksmDoc);
  const cost = prose`ksmd CPU time, a merge delay, split transparent hugepages, and cross-VM timing side channels
    (a tenant-isolation concern)`;
  if (accepted) return check({ ...base, status: "INFO", reason: `accepted in the guest profile: ${cost}` });
  return check({
    ...base,
    status: "WARN",
    reason: `KSM costs ${cost}`,
    remediation: "accept the risk in the guest profile (e.g. single-tenant hosts), or prefer virtio-pmem (path B)",
  });
}

function ksmConfig(ctx: PathContext): PathConfig {
  const running = ctx.facts.ksm.known && ctx.facts.ksm.value.run === 1;
  return {
    host: [
      ...(running ? [] : ["echo 1 | sudo tee /sys/kernel/mm/ksm/run"]),
      `cloud-hypervisor … --memory size=${ctx.guest.ramMiB}M,mergeable=on,shared=off,hugepages=off`,
      "cat /sys/kernel/mm/ksm/pages_sharing",
    ],
    guest: [],
    notes: [
      PERSIST,
      "no vhost-user devices (virtio-fs) in these VMs: they need shared=on, which KSM cannot merge",
      "merging is after the fact: pages_sharing grows as ksmd scans",
    ],
  };
}

export function judgeKsm(ctx: PathContext): ZeroCopyPath {
  const f = ctx.facts;
  return makePath(ctx, {
    id: "ksm",
    title: "KSM page merging",
    checks: [
      rulePathPlatform("ksm", ctx, VM_PLATFORM_WARNINGS),
      ruleKsmKernel(f),
      ruleKsmRun(f),
      ruleKsmChOption(f),
      ruleKsmPageSize(f),
      ruleKsmVhostUser(f),
      ruleKsmSideChannel(ctx.guest.ksmRiskAccepted),
    ],
    readySummary: "KSM merges identical guest pages after the fact (CH --memory …,mergeable=on)",
    config: ksmConfig(ctx),
  });
}
