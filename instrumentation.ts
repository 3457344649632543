// Runs once when the Next.js server starts (Node runtime): stamps requests with their socket address (throttling
// and audit, lib/auth/peer-address.ts), creates the first admin from the environment or prints the one-time setup
// code, and starts the in-process scan workers (DAXBOARD_IN_PROCESS_WORKERS=0 turns them off; `npm run worker`
// adds more).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installPeerAddressHook } = await import("./lib/auth/peer-address");
  installPeerAddressHook();
  const { announceSetupCode, bootstrapAdminFromEnv } = await import("./lib/users/first-admin");
  await bootstrapAdminFromEnv();
  await announceSetupCode();
  if (process.env.DAXBOARD_IN_PROCESS_WORKERS !== "0") {
    const { runScanWorkers, stopOnSignals } = await import("./lib/scan/worker-runtime");
    const { workerOptionsFromEnv } = await import("./lib/scan/worker-options");
    // Not awaited: should the database be down, the workers wait for it while the server starts.
    const workers = runScanWorkers({ ...workerOptionsFromEnv(), followSettings: true });
    // `next start` installs its own SIGTERM/SIGINT handlers before this runs (unless NEXT_MANUAL_SIG_HANDLE is
    // set): on a stop the workers finish or release their scans first, then Next closes the HTTP server and exits.
    stopOnSignals(workers.stop, { handOver: true });
  }
}
