// Zero-copy paths in the AssessmentReport contract (lib/readiness/report.ts), for component tests: a modern CH host
// where virtio-fs DAX is blocked, virtio-pmem is ready with its configuration, and KSM works with a warning.
import type { AssessmentView, PathView } from "@/lib/client/dto";
import { reportFor } from "./report-fixtures";

const check = (id: string, status: PathView["checks"][number]["status"], title: string, reason: string) => ({
  id,
  title,
  status,
  reason,
  remediation: status === "PASS" || status === "INFO" ? null : `Fix for ${title}`,
  source: `https://example.org/source/${id}`,
  evidence: [{ fact: "cloudHypervisor", value: "v41.0.0", section: "ch" }],
});

export const BLOCKED_DAX: PathView = {
  id: "virtiofs-dax",
  title: "virtio-fs DAX",
  verdict: "blocked",
  summary: "Cloud Hypervisor v41.0.0 has no DAX (removed in v25.0)",
  checks: [
    check("path.dax.platform", "PASS", "Platform fits a DAX window", "IPA 48 bits"),
    check("path.dax.vmm", "FAIL", "VMM offers a DAX window", "Cloud Hypervisor v41.0.0 has no DAX (removed in v25.0)"),
    check("path.dax.daemon", "UNKNOWN", "virtiofsd serves DAX", "no virtiofsd found"),
  ],
  config: null,
};

export const READY_PMEM: PathView = {
  id: "pmem-dax",
  title: "virtio-pmem + DAX filesystem",
  verdict: "ready",
  summary: "Cloud Hypervisor offers --pmem with discard_writes; the guest profile has every symbol",
  checks: [
    check("path.pmem.ch", "PASS", "Cloud Hypervisor offers --pmem", "--pmem with discard_writes=on"),
    check("path.pmem.kvm", "PASS", "KVM usable", "/dev/kvm readable and writable"),
  ],
  config: {
    host: [
      "mkfs.erofs -Enoinline_data libs.img /srv/libs",
      "truncate -s %2M libs.img && chmod 0444 libs.img",
      "cloud-hypervisor … --pmem file=libs.img,discard_writes=on,id=libs",
    ],
    guest: ["mount -t erofs -o ro,dax=always /dev/pmem0 /opt/libs"],
    notes: ["Each guest may grow by up to the image size: cap each CH process's memory cgroup."],
  },
};

export const KSM_WARN: PathView = {
  id: "ksm",
  title: "KSM page merging",
  verdict: "ready-with-warnings",
  summary: "KSM is on; merging costs CPU and opens cross-VM timing side channels",
  checks: [check("path.ksm.side-channel", "WARN", "Side channels accepted", "cross-VM timing side channels")],
  config: { host: ["cloud-hypervisor … --memory size=2G,mergeable=on,shared=off"], guest: [], notes: [] },
};

export function assessmentWithPaths(
  paths: PathView[] = [BLOCKED_DAX, READY_PMEM, KSM_WARN],
  bestPath: AssessmentView["bestPath"] = "pmem-dax",
): AssessmentView {
  return {
    ...reportFor("altra-max-02"),
    paths,
    bestPath,
    bestPathReason: bestPath ? "the first ready path in the order A, B, C" : "every core path is blocked",
  };
}

// A scan stored before issue 13: the JSON has no paths, bestPath or bestPathReason keys at all.
export function assessmentBeforePaths(): AssessmentView {
  const old: AssessmentView = { ...reportFor("altra-max-02") };
  delete old.paths;
  delete old.bestPath;
  delete old.bestPathReason;
  return old;
}
