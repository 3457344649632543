import { getDb } from "../db";
import { notFound } from "../api/errors";
import { scanSelect, toScanDto } from "./scan-dto";

export async function listScans(hostId: string, limit = 50) {
  const host = await getDb().host.findUnique({ where: { id: hostId }, select: { id: true } });
  if (!host) throw notFound("Host");
  const scans = await getDb().scan.findMany({
    where: { hostId },
    select: scanSelect,
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(1, limit || 50), 500),
  });
  return { scans: scans.map(toScanDto) };
}

export async function getScan(id: string) {
  const scan = await getDb().scan.findUnique({
    where: { id },
    select: { ...scanSelect, rawOutput: true, facts: true, assessment: true },
  });
  if (!scan) throw notFound("Scan");
  const { rawOutput, facts, assessment, ...rest } = scan;
  return { ...toScanDto(rest), rawOutput, facts, assessment };
}
