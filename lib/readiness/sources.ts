// Source links the checks cite (DOMAIN.md §8). One place so a moved page is one edit.
const CH = "https://github.com/cloud-hypervisor/cloud-hypervisor";
const KATA = "https://github.com/kata-containers/kata-containers";
const LINUX = "https://github.com/torvalds/linux";

export const SOURCES = {
  chDaxDeprecated: `${CH}/issues/3889`,
  chDaxRemoved: `${CH}/pull/4146`,
  chGicv3: `${CH}/issues/6524`,
  chHostKernel: `${CH}/blob/main/docs/building.md`,
  chLayout: `${CH}/blob/main/arch/src/aarch64/layout.rs`,
  chFsDoc: `${CH}/blob/main/docs/fs.md`,
  kvmIpa: `${LINUX}/blob/master/arch/arm64/kvm/reset.c`,
  kvmApi: "https://docs.kernel.org/virt/kvm/api.html",
  fwb: `${LINUX}/blob/master/arch/arm64/kernel/cpufeature.c`,
  fuseDax: `${LINUX}/blob/master/fs/fuse/dax.c`,
  fuseKconfig: `${LINUX}/blob/master/fs/fuse/Kconfig`,
  virtiofsdHistory: "https://gitlab.com/virtio-fs/virtiofsd/-/blob/main/CHANGELOG.md",
  qemuRemoved: "https://www.qemu.org/docs/master/about/removed-features.html",
  pageSizes: "https://docs.kernel.org/arch/arm64/memory.html",
  virtioFsDax: "https://virtio-fs.gitlab.io/howto-qemu.html",
  domain: `${CH}/blob/main/vmm/src/config.rs`,
  // Zero-copy paths (DOMAIN.md §7).
  chDaxLimitedPr: `${CH}/pull/8317`, // "limited virtiofs DAX", closed 2026-06
  vhostShmemBit: "https://github.com/rust-vmm/vhost/pull/367", // SHMEM_MAP feature bit 22, vhost ≥ 0.17.0
  virtiofsdShmemMr: "https://gitlab.com/virtio-fs/virtiofsd/-/merge_requests/318", // unmerged
  chPmemDevice: `${CH}/blob/main/vmm/src/device_manager.rs`, // make_virtio_pmem_device: MAP_PRIVATE with discard_writes
  chPmemArm64: `${CH}/commit/579710d3e`, // virtio-pmem on aarch64 since v18.0
  chPmemDma: `${CH}/issues/8309`, // DMA into pmem pages hangs: mount it, never DMA into it
  chMergeable: `${CH}/blob/main/vmm/src/memory_manager.rs`, // mergeable=on → madvise(MADV_MERGEABLE)
  pmemAdvisory: `${KATA}/security/advisories/GHSA-wwj6-vghv-5p64`, // CVE-2026-24834: guest writes to its pmem mapping
  kataClh: `${KATA}/blob/main/src/runtime/virtcontainers/clh.go`, // enableDax := false
  kataNoPmem: `${KATA}/commit/e17f96251d`, // Kata 3.27.0 stops using pmem with CH
  kataNoDaxQemuArm64: `${KATA}/commit/48aa077e8c`, // DAX off for QEMU on arm64 after an IC IVAU abort
  fsDaxRegression: `${LINUX}/commit/38607c62b34b`, // 6.15: arm64 guests oops in dax_disassociate_entry
  fsDaxFix: `${LINUX}/commits/master/fs/dax.c`, // "fs/dax: check zero or empty entry before converting xarray entry"
  pmemKconfig: `${LINUX}/blob/master/drivers/nvdimm/Kconfig`, // VIRTIO_PMEM, LIBNVDIMM, BLK_DEV_PMEM
  erofsDax: "https://man.archlinux.org/man/mkfs.erofs.1", // -b block size, -Enoinline_data, no -z for DAX
  ksmDoc: `${LINUX}/blob/master/Documentation/admin-guide/mm/ksm.rst`,
  firecrackerPmem: "https://github.com/firecracker-microvm/firecracker/blob/main/docs/pmem.md",
  crosvmFs: "https://chromium.googlesource.com/crosvm/crosvm/+/refs/heads/main/devices/src/virtio/fs/",
  libkrunDax: "https://github.com/containers/libkrun/pull/31",
} as const;
