// Starts DAXboard: resolves the database (DATABASE_URL or the embedded default), applies migrations, then runs
// `next start` (or `next dev` with --dev) with DATABASE_URL set, and stops the embedded server when the app stops.
import { spawn } from "node:child_process";
import path from "node:path";
import { resolveDatabase } from "../db/resolve-database";
import { deployMigrations } from "../db/migrate";
import { config } from "../config";
import { WORKER_NODE_FLAGS } from "../scan/worker-options";

async function main() {
  const dev = process.argv.includes("--dev");
  const db = await resolveDatabase();
  process.stdout.write(
    `daxboard: database ${db.kind}${db.kind === "external" ? "" : ` (data in ${config.dataDir()})`}\n`,
  );
  await deployMigrations({ url: db.url, migrationsDir: path.resolve("prisma/migrations") });

  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const child = spawn(
    process.execPath,
    [...WORKER_NODE_FLAGS, nextBin, dev ? "dev" : "start", "-p", String(config.port())],
    {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: db.url, DAXBOARD_DB_KIND: db.kind },
    },
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (child.exitCode === null) child.kill("SIGTERM");
    await db.stop().catch((err) => process.stderr.write(`daxboard: stopping the database failed: ${String(err)}\n`));
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => void stop(0));
  child.on("exit", (code) => void stop(code ?? 0));
}

main().catch((err) => {
  process.stderr.write(`daxboard: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
