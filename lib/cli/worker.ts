// npm run worker : extra scan workers on any machine that shares DATABASE_URL (and DAXBOARD_SECRET_KEY). It waits
// for the database when it is down, and on SIGTERM/SIGINT stops gracefully (lib/scan/worker-runtime.ts), exit 0.
import { runScanWorkers, stopOnSignals } from "../scan/worker-runtime";
import { workerOptionsFromEnv } from "../scan/worker-options";

async function main() {
  if (!process.env.DATABASE_URL) {
    process.stderr.write("worker: set DATABASE_URL to the database the app uses (and the same DAXBOARD_SECRET_KEY)\n");
    process.exit(2);
  }
  const runtime = runScanWorkers(workerOptionsFromEnv());
  stopOnSignals(runtime.stop);
  await runtime.started;
}

main().catch((err) => {
  process.stderr.write(`worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
