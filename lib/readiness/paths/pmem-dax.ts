// Path B — virtio-pmem + a DAX filesystem in the guest (CH --pmem, DOMAIN.md §7 B). Works with upstream CH on
// arm64 today: CH maps the image MAP_PRIVATE with discard_writes=on, so N guests reading one image share the host's
// page-cache pages. Host side here; guest side in pmem-guest.ts.
import type { ChVersion, Facts } from "../../probe/types";
import { check, evidence, prose, unknownText } from "../check";
import { chVersionText } from "../report";
import { SOURCES } from "../sources";
import type { Check, PathConfig, ZeroCopyPath } from "../types";
import { ruleKataPmem } from "./kata";
import { makePath, pathBase, type PathContext } from "./path-check";
import {
  rulePmemFilesystem,
  rulePmemGuestConfig,
  rulePmemGuestKernel,
  rulePmemMemory,
  rulePmemWriteCaveat,
} from "./pmem-guest";
import { rulePathPlatform, VM_PLATFORM_WARNINGS } from "./platform";

const PMEM_ARM64_SINCE = 18; // CH v18.0, commit 579710d3e

const chEvidence = (f: Facts) => [
  evidence("cloudHypervisor", f.cloudHypervisor, (v) =>
    v.found ? `${v.path ?? "?"}: ${v.versionText ?? "version unreadable"}` : "not found",
  ),
  evidence("chOptions", f.chOptions, (o) => `pmem=${o.pmem} discard_writes=${o.discardWrites}`),
];

const versionHint = (v: ChVersion | null) =>
  v && v.major >= PMEM_ARM64_SINCE ? `; CH ${chVersionText(v)} should offer it (arm64 since v18.0)` : "";

export function rulePmemChOption(f: Facts): Check {
  const ch = f.cloudHypervisor;
  const base = pathBase("pmem.ch-option", "Cloud Hypervisor --pmem", SOURCES.chPmemArm64, chEvidence(f));
  if (!ch.known)
    return check({ ...base, status: "UNKNOWN", reason: `Cloud Hypervisor not checked: ${unknownText(ch)}` });
  if (!ch.value.found)
    return check({
      ...base,
      status: "FAIL",
      reason: "Cloud Hypervisor is not installed: this path runs the guest under CH with --pmem",
      remediation: "install a current Cloud Hypervisor release (--pmem on arm64 since v18.0)",
    });
  const opts = f.chOptions;
  if (!opts.known)
    return check({
      ...base,
      status: "UNKNOWN",
      reason: `--pmem not checked: ${unknownText(opts)}${versionHint(ch.value.version)}`,
      remediation: "rescan with the current probe (it reads the --pmem entry of cloud-hypervisor --help)",
    });
  if (!opts.value.pmem)
    return check({
      ...base,
      status: "FAIL",
      reason: "this Cloud Hypervisor build's --help has no --pmem",
      remediation: "use an upstream Cloud Hypervisor ≥ v18.0 (virtio-pmem on arm64 since commit 579710d3e)",
    });
  const v = ch.value.version ? ` ${chVersionText(ch.value.version)}` : "";
  return check({ ...base, status: "PASS", reason: `Cloud Hypervisor${v} offers --pmem (arm64 since v18.0)` });
}

// Without discard_writes CH maps the image MAP_SHARED: a guest's write reaches the file every guest reads.
// Only judged once --pmem itself is known to be there; otherwise pmem.ch-option carries the verdict.
export function rulePmemDiscardWrites(f: Facts): Check {
  const opts = f.chOptions;
  const base = pathBase("pmem.discard-writes", "--pmem discard_writes", SOURCES.chPmemDevice, chEvidence(f));
  if (!opts.known || !opts.value.pmem)
    return check({ ...base, status: "INFO", reason: "not judged without a --pmem option (see pmem.ch-option)" });
  if (opts.value.discardWrites)
    return check({
      ...base,
      status: "PASS",
      reason: prose`--pmem offers discard_writes: with discard_writes=on CH maps the image MAP_PRIVATE, so guests
        share its page-cache pages and a guest's write stays in its own copy`,
    });
  return check({
    ...base,
    status: "WARN",
    reason: prose`this CH's --pmem has no discard_writes: the image is mapped MAP_SHARED, so one guest's write
      reaches the file every guest reads (GHSA-wwj6-vghv-5p64)`,
    remediation: "upgrade Cloud Hypervisor to a release whose --pmem offers discard_writes=on",
    source: SOURCES.pmemAdvisory,
  });
}

const IMAGE = "/srv/images/libs.img";
const MIB_2 = 2;

function pmemConfig(ctx: PathContext): PathConfig {
  const { fsType, pageSize, imageSizeMiB } = ctx.guest;
  const size = imageSizeMiB === null ? "<size, a multiple of 2M>" : `${Math.ceil(imageSizeMiB / MIB_2) * MIB_2}M`;
  const build =
    fsType === "erofs"
      ? [`mkfs.erofs -b ${pageSize} -Enoinline_data ${IMAGE} /srv/libs`, `truncate -s %2M ${IMAGE}`]
      : [`truncate -s ${size} ${IMAGE}`, `mkfs.ext4 -b ${pageSize} -d /srv/libs ${IMAGE}`];
  return {
    host: [...build, `chmod 0444 ${IMAGE}`, `cloud-hypervisor … --pmem file=${IMAGE},discard_writes=on,id=libs`],
    guest: [`mount -t ${fsType} -o ro,dax=always /dev/pmem0 /opt/libs`],
    notes: [
      "discard_writes=on keeps the host file and the other guests safe: a guest's writes stay in its own copy",
      "cap each Cloud Hypervisor process's memory cgroup: a guest may grow by up to the image size",
      "mount it as a filesystem only: DMA into pmem pages hangs (CH #8309)",
      fsType === "erofs"
        ? "no -z: erofs DAX serves only uncompressed files"
        : `the ext4 block size must equal the guest page size (${pageSize})`,
    ],
  };
}

export function judgePmemDax(ctx: PathContext): ZeroCopyPath {
  const kata = ruleKataPmem(ctx);
  const checks: Check[] = [
    rulePathPlatform("pmem", ctx, VM_PLATFORM_WARNINGS),
    rulePmemChOption(ctx.facts),
    rulePmemDiscardWrites(ctx.facts),
    rulePmemGuestConfig(ctx),
    rulePmemGuestKernel(ctx),
    rulePmemFilesystem(ctx),
    rulePmemWriteCaveat(),
    rulePmemMemory(ctx),
    ...(kata ? [kata] : []),
  ];
  return makePath(ctx, {
    id: "pmem-dax",
    title: "virtio-pmem + DAX filesystem",
    checks,
    readySummary: prose`Cloud Hypervisor --pmem with a read-only ${ctx.guest.fsType} image mounted dax=always:
      one host copy for every guest`,
    config: pmemConfig(ctx),
  });
}
