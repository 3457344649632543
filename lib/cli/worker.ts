// npm run worker : extra scan workers on any machine that shares DATABASE_URL (and DAXBOARD_SECRET_KEY).
import { closeDb } from "../db";
import { log } from "../log";
import { stopBoss } from "../scan/queue";
import { startScanWorkers } from "../scan/worker";
import { workerOptionsFromEnv } from "../scan/worker-options";

async function main() {
  if (!process.env.DATABASE_URL) {
    process.stderr.write("worker: set DATABASE_URL to the database the app uses (and the same DAXBOARD_SECRET_KEY)\n");
    process.exit(2);
  }
  const options = workerOptionsFromEnv();
  const workers = await startScanWorkers(options);
  log.info({ concurrency: options.concurrency, pid: process.pid }, "scan workers started");
  const stop = async () => {
    await workers.stop();
    await stopBoss();
    await closeDb();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((err) => {
  process.stderr.write(`worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
