// Source links the checks cite (DOMAIN.md §8). One place so a moved page is one edit.
export const SOURCES = {
  chDaxDeprecated: "https://github.com/cloud-hypervisor/cloud-hypervisor/issues/3889",
  chDaxRemoved: "https://github.com/cloud-hypervisor/cloud-hypervisor/pull/4146",
  chGicv3: "https://github.com/cloud-hypervisor/cloud-hypervisor/issues/6524",
  chHostKernel: "https://github.com/cloud-hypervisor/cloud-hypervisor/blob/main/docs/building.md",
  chLayout: "https://github.com/cloud-hypervisor/cloud-hypervisor/blob/main/arch/src/aarch64/layout.rs",
  chFsDoc: "https://github.com/cloud-hypervisor/cloud-hypervisor/blob/main/docs/fs.md",
  kvmIpa: "https://github.com/torvalds/linux/blob/master/arch/arm64/kvm/reset.c",
  kvmApi: "https://docs.kernel.org/virt/kvm/api.html",
  fwb: "https://github.com/torvalds/linux/blob/master/arch/arm64/kernel/cpufeature.c",
  fuseDax: "https://github.com/torvalds/linux/blob/master/fs/fuse/dax.c",
  fuseKconfig: "https://github.com/torvalds/linux/blob/master/fs/fuse/Kconfig",
  virtiofsdHistory: "https://gitlab.com/virtio-fs/virtiofsd/-/blob/main/CHANGELOG.md",
  qemuRemoved: "https://www.qemu.org/docs/master/about/removed-features.html",
  pageSizes: "https://docs.kernel.org/arch/arm64/memory.html",
  virtioFsDax: "https://virtio-fs.gitlab.io/howto-qemu.html",
  domain: "https://github.com/cloud-hypervisor/cloud-hypervisor/blob/main/vmm/src/config.rs",
} as const;
