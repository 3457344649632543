// Bench: end-to-end scans of N simulated hosts (default 500, concurrency 50): API request → queue → worker
// (a separate `npm run worker` process) → ssh → parse → assess → database. Baselines measured in the same run
// over the same hosts at the same concurrency: a bare ssh2 connect+exec+read loop, and OpenSSH `xargs -P`.
import { spawn, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { POST as bulkScan } from "../../app/api/scans/route";
import { getDb, closeDb } from "../../lib/db";
import { createApiToken } from "../../lib/auth/api-tokens";
import { resetSecretKeyCache } from "../../lib/crypto/secret-key";
import { registerHost } from "../../lib/hosts/register-host";
import { systemActor } from "../../lib/auth/roles";
import { getBoss, stopBoss } from "../../lib/scan/queue";
import { startScanWorkers } from "../../lib/scan/worker";
import { call } from "../support/api";
import { createTestDatabase, startTestServer } from "../support/test-database";
import { DEMO_FLEET, simulatedDocument } from "../support/sim-documents";
import { startSimFleet, type SimFleet } from "../support/sim-fleet";
import { startWorkerProcess, waitFor } from "../support/worker-process";
import { bareSsh2, cpuSeconds, peakRssMb, postgresCpuSeconds, runAsScript } from "./scan10k-support";

const N = Number(process.env.BENCH_SCAN_HOSTS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_SCAN_CONCURRENCY ?? 50);
const ROUNDS = Number(process.env.BENCH_SCAN_ROUNDS ?? 5);
// Worker processes (`npm run worker`) sharing the concurrency; more than one shows scale-out on this machine.
const WORKERS = Number(process.env.BENCH_SCAN_WORKERS ?? 1);
const line = (name: string, value: number, unit: string) =>
  process.stdout.write(`bench ${name} ${Number(value.toFixed(3))} ${unit}\n`);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

// The floor: what ssh2 alone does per host (connect, one exec, read everything, end); the same loop serves scan10k.
const bareFloor = (fleet: SimFleet) => bareSsh2(fleet.hosts, CONCURRENCY, fleet.clientKey.privateKey);

// OpenSSH's client, as ops would script it: `xargs -P 50 ssh …` over the same hosts.
// Async on purpose: the simulated hosts live in this process, so a blocking exec would deadlock them.
async function opensshXargs(fleet: SimFleet, dir: string): Promise<number | null> {
  const ssh = spawnSync("sh", ["-c", "command -v ssh"], { encoding: "utf8" }).stdout.trim();
  if (!ssh) return null;
  const keyFile = path.join(dir, "id_ed25519");
  fs.writeFileSync(keyFile, fleet.clientKey.privateKey, { mode: 0o600 });
  const ports = fleet.hosts.map((h) => String(h.port)).join("\n") + "\n";
  const cmd = `xargs -P ${CONCURRENCY} -I{} ${ssh} -n -q -i ${keyFile} -p {} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR ${fleet.hosts[0]!.username}@127.0.0.1 sh -s -- xargsTok1`;
  const started = performance.now();
  const child = spawn("sh", ["-c", cmd], { stdio: ["pipe", "ignore", "inherit"] });
  child.stdin.end(ports);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`OpenSSH baseline failed (xargs exit ${code})`);
  return N / ((performance.now() - started) / 1000);
}

type PipelineRound = {
  pipeline: number;
  latencyP50: number;
  latencyP95: number;
  inWorkerP50: number;
  failed: number;
  cpu: { worker: number; bench: number; postgres: number };
};
type Round = PipelineRound & { bare: number; bareEach: [number, number]; bareCpu: number; xargs: number | null };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

// One pipeline run over every host: the bulk API request, then until the last scan has ended. From the second
// round on the hosts are rescans (keys pinned, earlier facts to diff against), as most scans are in use.
async function pipelineRound(token: string, workerPids: (number | "self")[]): Promise<PipelineRound> {
  const workersCpu = () => workerPids.reduce<number>((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuBefore = { worker: workersCpu(), bench: cpuSeconds("self"), postgres: postgresCpuSeconds() };
  const started = new Date();
  const res = await call(bulkScan, { body: { filter: { tag: "bench" } }, token });
  if (res.status !== 202) throw new Error(`bulk scan request failed: ${res.text}`);
  await waitFor(
    async () => (await getDb().scan.count({ where: { status: { in: ["queued", "running"] } } })) === 0,
    600_000,
    "the scans to end",
  );
  // Where the CPU went during the run, per scan. The bench process hosts the simulated fleet (and the workers
  // too under BENCH_IN_PROCESS=1); backends that ended mid-run are not counted.
  const cpuMs = (before: number, after: number) => ((after - before) * 1000) / N;
  const cpu = {
    worker: cpuMs(cpuBefore.worker, workersCpu()),
    bench: cpuMs(cpuBefore.bench, cpuSeconds("self")),
    postgres: cpuMs(cpuBefore.postgres, postgresCpuSeconds()),
  };
  const scans = await getDb().scan.findMany({
    where: { createdAt: { gte: started } },
    select: { status: true, createdAt: true, startedAt: true, finishedAt: true },
  });
  if (scans.length !== N) throw new Error(`expected ${N} scans in this round, found ${scans.length}`);
  const inWorker = scans.map((s) => s.finishedAt!.getTime() - s.startedAt!.getTime()).sort((a, b) => a - b);
  const lastEnd = Math.max(...scans.map((s) => s.finishedAt!.getTime()));
  const latencies = scans.map((s) => s.finishedAt!.getTime() - s.createdAt.getTime()).sort((a, b) => a - b);
  return {
    pipeline: N / ((lastEnd - started.getTime()) / 1000),
    latencyP50: pct(latencies, 50),
    latencyP95: pct(latencies, 95),
    inWorkerP50: pct(inWorker, 50),
    failed: scans.filter((s) => s.status !== "succeeded").length,
    cpu,
  };
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-bench-scan-"));
  const server = await startTestServer();
  const database = await createTestDatabase(server.baseUrl, "daxboard_bench_scan");
  process.env.DATABASE_URL = database.url;
  const secret = crypto.randomBytes(32).toString("hex");
  process.env.DAXBOARD_SECRET_KEY = secret;
  resetSecretKeyCache();
  const profiles = DEMO_FLEET.filter((p) => !p.behaviour);
  const fleet = await startSimFleet(
    N,
    (i) => ({ respond: (token) => simulatedDocument(profiles[i % profiles.length]!, token) }),
    { hostKeyPoolSize: 50 },
  );
  // BENCH_IN_PROCESS=1 runs the workers inside this process, as the app does by default; otherwise a separate
  // `npm run worker` process, whose peak RSS is then the worker's alone.
  const inProcess = process.env.BENCH_IN_PROCESS === "1";
  const workers = inProcess
    ? []
    : Array.from({ length: WORKERS }, (_, i) =>
        startWorkerProcess({
          DATABASE_URL: database.url,
          DAXBOARD_SECRET_KEY: secret,
          DAXBOARD_WORKER_CONCURRENCY: String(Math.floor(CONCURRENCY / WORKERS) + (i < CONCURRENCY % WORKERS ? 1 : 0)),
          LOG_LEVEL: "warn",
          DAXBOARD_DB_POOL: process.env.DAXBOARD_DB_POOL ?? "10",
        }),
      );
  const local = inProcess ? await startScanWorkers({ concurrency: CONCURRENCY }) : null;
  try {
    const actor = systemActor("bench");
    for (const [i, host] of fleet.hosts.entries()) {
      await registerHost(actor, {
        name: `bench-${i}`,
        address: host.host,
        port: host.port,
        username: host.username,
        auth: { type: "key", privateKey: fleet.clientKey.privateKey },
        tags: ["bench"],
      });
    }
    // Warm both sides once (JIT, pools, the app's queue client) so no measurement pays start-up.
    await bareFloor({ ...fleet, hosts: fleet.hosts.slice(0, CONCURRENCY) });
    await getBoss();
    const { token } = await createApiToken({ name: "bench", role: "operator" });
    // The pipeline gets the same warm-up: one scan of as many hosts as the concurrency (JIT, pools, batches).
    const warmIds = (
      await getDb().host.findMany({ select: { id: true }, orderBy: { name: "asc" }, take: CONCURRENCY })
    ).map((h) => h.id);
    const warm = await call(bulkScan, { body: { hostIds: warmIds }, token });
    if (warm.status !== 202) throw new Error(`warm-up scan request failed: ${warm.text}`);
    await waitFor(
      async () => (await getDb().scan.count({ where: { status: { in: ["queued", "running"] } } })) === 0,
      120_000,
      "the warm-up scans to end",
    );
    const workerPids: (number | "self")[] = inProcess ? ["self"] : workers.map((w) => w.child.pid!);

    // This machine's throughput drifts by a quarter or more between runs a minute apart, and by a tenth or more
    // within seconds, so each round measures the three side by side, the bare loop right before and right after
    // the pipeline (its figure is the mean of the two), and the ratios are the medians of each round's own ratio.
    const bareRun = async () => {
      const cpuBefore = cpuSeconds("self");
      const rate = await bareFloor(fleet);
      // The bare loop and the simulated hosts share this process: client plus server CPU per host.
      return { rate, cpu: ((cpuSeconds("self") - cpuBefore) * 1000) / N };
    };
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const xargs = await opensshXargs(fleet, dir);
      const before = await bareRun();
      const pipeline = await pipelineRound(token, workerPids);
      const after = await bareRun();
      rounds.push({
        bare: (before.rate + after.rate) / 2,
        bareEach: [before.rate, after.rate],
        bareCpu: (before.cpu + after.cpu) / 2,
        xargs,
        ...pipeline,
      });
    }
    const peakMb = Math.max(...workerPids.map(peakRssMb));
    const med = (pick: (r: Round) => number) => median(rounds.map(pick));
    const failed = rounds.reduce((sum, r) => sum + r.failed, 0);

    process.stdout.write(
      `scan bench: ${N} simulated hosts, concurrency ${CONCURRENCY}, ${inProcess ? "workers in the bench process" : `${WORKERS} worker process(es)`}, ${ROUNDS} rounds, ${failed} failed\n`,
    );
    for (const [i, r] of rounds.entries()) {
      const vsXargs = r.xargs ? ` · ${(r.pipeline / r.xargs).toFixed(2)}× xargs (${r.xargs.toFixed(0)}/s)` : "";
      process.stdout.write(
        `  round ${i + 1}: pipeline ${r.pipeline.toFixed(0)}/s · ${(r.pipeline / r.bare).toFixed(2)}× bare ssh2 (${r.bare.toFixed(0)}/s: ${r.bareEach.map((b) => b.toFixed(0)).join(" before, ")} after)${vsXargs} · CPU ms/scan worker ${r.cpu.worker.toFixed(2)}, PostgreSQL ${r.cpu.postgres.toFixed(2)}, sim ${r.cpu.bench.toFixed(2)}\n`,
      );
    }
    line(
      "scan.hosts_per_s",
      med((r) => r.pipeline),
      "hosts/s",
    );
    line(
      "scan.latency_p50_ms",
      med((r) => r.latencyP50),
      "ms",
    );
    line(
      "scan.latency_p95_ms",
      med((r) => r.latencyP95),
      "ms",
    );
    line(
      "scan.in_worker_p50_ms",
      med((r) => r.inWorkerP50),
      "ms",
    );
    line("scan.worker_peak_rss_mb", peakMb, "MB");
    if (!inProcess)
      line(
        "scan.cpu_worker_ms_per_host",
        med((r) => r.cpu.worker),
        "ms",
      );
    line(
      "scan.cpu_sim_hosts_ms_per_host",
      med((r) => r.cpu.bench),
      "ms",
    );
    line(
      "scan.cpu_postgres_ms_per_host",
      med((r) => r.cpu.postgres),
      "ms",
    );
    line(
      "scan.bare_ssh2_hosts_per_s",
      med((r) => r.bare),
      "hosts/s",
    );
    line(
      "scan.cpu_bare_ssh2_with_sim_hosts_ms_per_host",
      med((r) => r.bareCpu),
      "ms",
    );
    line(
      "scan.vs_bare_ssh2",
      med((r) => r.pipeline / r.bare),
      "ratio",
    );
    if (rounds.every((r) => r.xargs !== null)) {
      line(
        "scan.openssh_xargs_hosts_per_s",
        med((r) => r.xargs!),
        "hosts/s",
      );
      line(
        "scan.vs_openssh_xargs",
        med((r) => r.pipeline / r.xargs!),
        "ratio",
      );
    } else process.stdout.write("scan bench: no ssh client installed, OpenSSH baseline skipped\n");
    line("scan.failed", failed, "scans");
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await local?.stop();
    await stopBoss();
    await closeDb();
    await fleet.close();
    await database.drop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runAsScript(import.meta.url, run);
