// Bench: parse + assess a synthetic 192-CPU probe document (large cpuinfo, as on
// an AmpereOne A192). Target < 5 ms per document. Prints human lines plus
// machine-readable `bench <name> <value> <unit>` lines.
import { pathToFileURL } from "node:url";
import { parseFacts } from "../../lib/probe/facts";
import { assess } from "../../lib/readiness/assess";
import { toAssessmentReport } from "../../lib/readiness/report";

const CPUS = 192;

export function syntheticDocument(cpus = CPUS, token = "benchTok192"): string {
  const features =
    "fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm jscvt fcma lrcpc dcpop sha3 sm3 sm4 asimddp sha512 asimdfhm dit uscat ilrcpc flagm ssbs sb paca pacg dcpodp flagm2 frint i8mm bf16 rng bti ecv";
  const cpuinfo = Array.from(
    { length: cpus },
    (_, i) =>
      `processor\t: ${i}\nBogoMIPS\t: 2000.00\nFeatures\t: ${features}\nCPU implementer\t: 0xc0\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0xac4\nCPU revision\t: 1\n`,
  ).join("\n");
  const midr = Array.from(
    { length: cpus },
    (_, i) => `/sys/devices/system/cpu/cpu${i}/regs/identification/midr_el1=0x00000000c00fac41`,
  ).join("\n");
  const irqHeader = Array.from({ length: cpus }, (_, i) => `CPU${i}`.padStart(11)).join("");
  const irqLine = (n: number, what: string) =>
    `${String(n).padStart(4)}: ${Array.from({ length: cpus }, () => "1234".padStart(10)).join(" ")} ${what}`;
  const sections: Array<[string, string]> = [
    ["arch", "aarch64"],
    ["kernel-release", "6.8.0-39-generic-64k"],
    ["kernel-version", "#39-Ubuntu SMP PREEMPT_DYNAMIC"],
    ["pagesize", "65536"],
    ["cpuinfo", cpuinfo],
    ["midr", midr],
    ["meminfo", "MemTotal:       1056423936 kB\nMemFree:        1000000000 kB"],
    ["os-release", 'ID=ubuntu\nVERSION_ID="24.04"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"'],
    [
      "interrupts",
      [irqHeader, irqLine(11, "GICv3  27 Level     arch_timer"), irqLine(12, "ITS-MSI 0 Edge nvme0q0")].join("\n"),
    ],
    ["dmi", "sys_vendor=Supermicro\nproduct_name=Super Server"],
    ["acpi-tables", "APIC\nDSDT\nFACP\nIORT\nMCFG\nPPTT\nSPCR"],
    ["kvm", "exists=yes\nreadable=yes\nwritable=yes"],
    ["dmesg-restrict", "0"],
    [
      "dmesg-kvm",
      "[0.0] Booting Linux on physical CPU 0x0000120000 [0xc00fac41]\n[0.9] kvm [1]: IPA Size Limit: 48 bits\n[0.9] kvm [1]: VHE mode initialized successfully\n[0.0] CPU features: detected: Stage-2 Force Write-Back",
    ],
    ["kvm-ipa", "48"],
    ["kernel-config", "CONFIG_ARM64_64K_PAGES=y\nCONFIG_ARM64_VA_BITS=52\nCONFIG_KVM=y\nCONFIG_KSM=y"],
    ["virt", "systemd-detect-virt=none"],
    ["ch", "path=/usr/local/bin/cloud-hypervisor\ncloud-hypervisor v41.0.0"],
    ["ch-help", '      --fs <fs>...   virtio-fs parameters "tag=<tag_name>,socket=<socket_path>,id=<device_id>"'],
    ["virtiofsd", "path=/usr/libexec/virtiofsd\nvirtiofsd 1.13.0"],
    // The zero-copy sections (issue 13), so every path is judged on facts, as on a current scan.
    [
      "ch-options",
      [
        '      --memory <memory>  Memory parameters "size=<guest_memory_size>,mergeable=on|off,shared=on|off,hugepages=on|off"',
        '      --pmem <pmem>  Persistent memory parameters "file=<backing_file_path>,size=<persistent_memory_size>,iommu=on|off,discard_writes=on|off,id=<device_id>,pci_segment=<segment_id>"',
      ].join("\n"),
    ],
    ["ksm", "present=yes\nrun=1\npages_sharing=48213\npages_shared=5120\nmax_page_sharing=256"],
    [
      "kata",
      [
        "runtime=/opt/kata/bin/kata-runtime",
        "kata-runtime  : 3.27.0",
        "config=/opt/kata/share/defaults/kata-containers/configuration-clh.toml",
        'image = "/opt/kata/share/kata-containers/kata-containers.img"',
        'shared_fs = "virtio-fs"',
        "virtio_fs_cache_size = 0",
      ].join("\n"),
    ],
    ["vmms", "vmm=firecracker path=/usr/local/bin/firecracker\nFirecracker v1.14.0"],
    ["user", "uid=1000(ops) gid=1000(ops) groups=1000(ops),108(kvm)"],
  ];
  return [
    `daxboard-probe 1 boundary=${token}`,
    ...sections.flatMap(([n, b]) => [`--${token} ${n} rc=0`, b]),
    `--${token}--`,
    "",
  ].join("\n");
}

function once(doc: string) {
  const { facts } = parseFacts(doc);
  return toAssessmentReport(facts, assess(facts));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function run(): Promise<void> {
  const doc = syntheticDocument();
  const check = once(doc);
  if (check.facts.cpus[0]?.count !== CPUS) throw new Error("bench document did not parse as 192 CPUs");
  // The bench must time the whole assessment, paths included.
  if (check.paths.length !== 4 || check.bestPath === null) throw new Error("bench document did not judge every path");
  for (let i = 0; i < 50; i++) once(doc); // warm-up (JIT)

  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    once(doc);
    samples.push(performance.now() - t);
  }
  const med = median(samples);

  // Baseline in the same run: the floor any line-oriented parser pays on this document (split into lines, one
  // regex test per line). The ratio says how much the real parser + rules cost on top of reading the text.
  const floor: number[] = [];
  let hits = 0;
  for (let i = 0; i < 350; i++) {
    const t = performance.now();
    for (const line of doc.split("\n")) if (/^CPU part\s*:/.test(line)) hits++;
    if (i >= 50) floor.push(performance.now() - t);
  }
  if (hits === 0) throw new Error("baseline found no CPU lines");
  const floorMed = median(floor);

  // Memory retained by 1,000 assessment reports (what a fleet view would hold).
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  for (let i = 0; i < 1000; i++) kept.push(once(doc));
  gc?.();
  const perThousandMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
  if (kept.length !== 1000) throw new Error("unreachable");

  console.log(
    `assess: ${CPUS}-CPU document (${(doc.length / 1024).toFixed(0)} KiB), median ${med.toFixed(2)} ms over ${samples.length} runs (target < 5 ms)`,
  );
  console.log(
    `assess: heap retained by 1,000 reports ≈ ${perThousandMb.toFixed(1)} MB${gc ? "" : " (no --expose-gc: includes garbage)"}`,
  );
  console.log(`bench assess.median_ms ${med.toFixed(2)} ms`);
  console.log(`bench assess.mem_per_1000_mb ${perThousandMb.toFixed(1)} MB`);
  console.log(`bench assess.line_scan_baseline_ms ${floorMed.toFixed(3)} ms`);
  console.log(`bench assess.vs_line_scan ${(med / floorMed).toFixed(1)} ratio`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
