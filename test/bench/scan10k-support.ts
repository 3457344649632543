// Helpers for the fleet-scale scan bench: the bare ssh2 floor and the machine's CPU use.
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import ssh2 from "ssh2";

export type BenchHost = { host: string; port: number; username: string };

export async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function bareScan(host: BenchHost, privateKey: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const conn = new ssh2.Client();
    conn.on("error", reject);
    conn.on("ready", () => {
      conn.exec("sh -s -- bareTok1", (err, stream) => {
        if (err) return reject(err);
        stream.on("data", () => {});
        stream.stderr.on("data", () => {});
        stream.on("close", () => {
          conn.end();
          resolve();
        });
        stream.end("");
      });
    });
    conn.on("connect", () =>
      (conn as unknown as { _sock?: { setNoDelay?: (v: boolean) => void } })._sock?.setNoDelay?.(true),
    );
    conn.connect({ ...host, privateKey, hostVerifier: () => true, readyTimeout: 60_000 });
  });
}

// The floor, as in test/bench/scan.ts: what ssh2 alone does per host (connect, one exec, read everything, end).
// Hosts per second over the given hosts.
export async function bareSsh2(hosts: BenchHost[], concurrency: number, privateKey: string): Promise<number> {
  const started = performance.now();
  await pool(hosts, concurrency, (host) => bareScan(host, privateKey));
  return hosts.length / ((performance.now() - started) / 1000);
}

function cpuTicks(): { busy: number; total: number } {
  const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  // idle and iowait are the 4th and 5th fields.
  return { busy: total - fields[3]! - fields[4]!, total };
}

// Starts measuring the whole machine (every core: workers, PostgreSQL, the simulated hosts); the
// returned function gives the percentage of all cores that was busy since.
export function machineCpu(): () => number {
  const before = cpuTicks();
  return () => {
    const after = cpuTicks();
    return ((after.busy - before.busy) * 100) / Math.max(1, after.total - before.total);
  };
}

// CPU seconds (user + system) used so far by a process, from /proc (Linux, USER_HZ = 100); 0 when it is gone.
export function cpuSeconds(pid: number | "self"): number {
  try {
    // Fields 14 and 15 (utime, stime).
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

// /proc/<pid>/stat from field 3 on (index 0 = field 3): the name (field 2) may hold spaces.
function statFields(pid: number | "self"): string[] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

// Every PostgreSQL process on this machine (the bench's database server and its backends). A backend that ended
// counts too: its postmaster reaped it, so its CPU is in the postmaster's children's time (cutime + cstime).
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      const fields = statFields(Number(entry));
      total += (Number(fields[11]) + Number(fields[12])) / 100;
      // Field 4 (ppid): a postmaster's parent is not a postgres process; add the ended backends it reaped.
      const parent = Number(fields[1]);
      if (fs.readFileSync(`/proc/${parent}/comm`, "utf8").trim() !== "postgres")
        total += (Number(fields[13]) + Number(fields[14])) / 100;
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}

// A process's peak resident memory (VmHWM) in MB.
export function peakRssMb(pid: number | "self"): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

// A bench module run as a script (`npm run bench` runs each in its own process): its exit code says whether it
// finished, and a failure prints its stack.
export function runAsScript(moduleUrl: string, run: () => Promise<void>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? "").href) return;
  run().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
