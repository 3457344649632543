import type { Prisma } from "../generated/prisma/client";
import { ERROR_CLASSES, type ErrorClass } from "../ssh/errors";

export const scanSelect = {
  id: true,
  hostId: true,
  status: true,
  source: true,
  requestedBy: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
  attempts: true,
  errorClass: true,
  errorMessage: true,
  errorDetail: true,
  rulesVersion: true,
  verdict: true,
  drift: true,
} satisfies Prisma.ScanSelect;

export type ScanRow = Prisma.ScanGetPayload<{ select: typeof scanSelect }>;

// A scan as the API shows it; errors carry their class title and fix hint.
export function toScanDto(scan: ScanRow) {
  const info = scan.errorClass ? ERROR_CLASSES[scan.errorClass as ErrorClass] : undefined;
  return {
    ...scan,
    createdAt: scan.createdAt.toISOString(),
    startedAt: scan.startedAt?.toISOString() ?? null,
    finishedAt: scan.finishedAt?.toISOString() ?? null,
    error: scan.errorClass
      ? {
          class: scan.errorClass,
          title: info?.title ?? scan.errorClass,
          message: scan.errorMessage,
          hint: info?.hint ?? null,
          detail: scan.errorDetail,
        }
      : null,
  };
}

export type ScanDto = ReturnType<typeof toScanDto>;
