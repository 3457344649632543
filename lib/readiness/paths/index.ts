// Zero-copy paths (DOMAIN.md §7): one verdict per way this host could share one copy of libraries and models
// across microVMs — A virtio-fs DAX, B virtio-pmem + DAX filesystem, C KSM, then one per other VMM found — and the
// best of A, B, C. One file per path; each check is one function with its source.
import type { ZeroCopyPath } from "../types";
import { chooseBestPath, type BestPath } from "./best-path";
import { judgeKsm } from "./ksm";
import { judgeOtherVmms } from "./other-vmms";
import type { PathContext } from "./path-check";
import { judgePmemDax } from "./pmem-dax";
import { judgeVirtiofsDax } from "./virtiofs-dax";

export type { PathContext } from "./path-check";

export function judgePaths(ctx: PathContext): BestPath & { paths: ZeroCopyPath[] } {
  const paths = [judgeVirtiofsDax(ctx), judgePmemDax(ctx), judgeKsm(ctx), ...judgeOtherVmms(ctx)];
  return { paths, ...chooseBestPath(paths, ctx.platformState) };
}
