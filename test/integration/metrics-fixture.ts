import http from "node:http";
import type { AddressInfo } from "node:net";
import { NextRequest } from "next/server";
import { getDb } from "@/lib/db";
import { GET as metricsRoute } from "@/app/api/metrics/route";

// Six hosts with known summaries: 3 platform-ready (two 64K, one with a DAX cache_size), 1 ready and stale,
// 1 n/a, 1 never scanned. The numbers the metrics must report follow from these rows.
export const SEEDED = { platformReady: 3, ready: 1, na: 1, never: 1, stale: 1, pageSize65536: 2, ch41: 3, ch22: 1 };
export const CACHE_HOST = { name: "m-alpha", bytes: 2 * 1024 ** 3 };

type Row = [string, string | null, string | null, number | null, string | null, string | null, boolean];

export async function seedMetricsFleet(): Promise<void> {
  const rows: Row[] = [
    ["m-alpha", "platform-ready", "server-acpi", 65536, "v41.0.0", "pmem-dax", false],
    ["m-bravo", "platform-ready", "server-acpi", 65536, "v41.0.0", "ksm", false],
    ["m-charlie", "platform-ready", "server-acpi", 4096, "v41.0.0", null, false],
    ["m-delta", "ready", "server-acpi", 4096, "v22.1", "virtiofs-dax", true],
    ["m-echo", "n/a", null, 4096, null, null, false],
    ["m-foxtrot", null, null, null, null, null, false],
  ];
  const db = getDb();
  for (const [i, [name, verdict, platformClass, pageSize, chVersion, bestPath, stale]] of rows.entries()) {
    await db.host.create({
      data: {
        name,
        address: `10.9.0.${i + 1}`,
        username: "ops",
        authMethod: "agent",
        verdict,
        platformClass,
        pageSize,
        chVersion,
        bestPath,
        stale,
        lastScanAt: verdict ? new Date() : null,
        lastScanStatus: verdict ? (stale ? "failed" : "succeeded") : null,
      },
    });
  }
  const host = await db.host.findUniqueOrThrow({ where: { name: CACHE_HOST.name }, select: { id: true } });
  const scan = await db.scan.create({
    data: {
      hostId: host.id,
      requestedBy: "test",
      status: "succeeded",
      finishedAt: new Date(Date.now() - 3_600_000),
      assessment: { cacheSize: { bytes: CACHE_HOST.bytes, human: "2G" } },
    },
  });
  await db.host.update({ where: { id: host.id }, data: { currentScanId: scan.id } });
}

// The real route handler behind a loopback HTTP server, as Prometheus (or curl) would reach it.
export async function serveMetrics(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const headers = new Headers({ host: req.headers.host ?? "127.0.0.1" });
    if (req.headers.authorization) headers.set("authorization", req.headers.authorization);
    const request = new NextRequest(new URL(req.url ?? "/", "http://127.0.0.1"), { headers });
    metricsRoute(request)
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(await response.text());
      })
      .catch((err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// A scraped sample's value from the text format, or undefined when the series is absent.
export function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
