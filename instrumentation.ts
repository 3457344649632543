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
    const { startScanWorkers } = await import("./lib/scan/worker");
    const { workerOptionsFromEnv } = await import("./lib/scan/worker-options");
    await startScanWorkers({ ...workerOptionsFromEnv(), followSettings: true });
  }
}
