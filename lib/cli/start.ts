// Starts DAXboard: checks what it needs (data directory, port, database login, secret key), resolves the
// database (DATABASE_URL or the embedded default), applies migrations, then runs `next start` (or `next dev`
// with --dev). A stop waits for the app to finish, then stops the embedded server (lib/cli/supervise-app.ts).
// Every start-up failure is one line and exit code 1 (lib/cli/startup-checks.ts).
import { spawn } from "node:child_process";
import path from "node:path";
import { checkDatabaseLogin } from "../db/check-login";
import { describeDatabase, resolveDatabase, type ResolvedDatabase } from "../db/resolve-database";
import { deployMigrations } from "../db/migrate";
import { config } from "../config";
import { WORKER_NODE_FLAGS } from "../scan/worker-options";
import { checkSecretKey } from "./check-secret-key";
import { checkDataDir, checkPortFree, failStartup } from "./startup-checks";
import { superviseApp } from "./supervise-app";

async function prepare(db: ResolvedDatabase): Promise<void> {
  if (db.kind === "external") await checkDatabaseLogin(db.url);
  process.stdout.write(`daxboard: ${describeDatabase(db)}\n`);
  await deployMigrations({ url: db.url, migrationsDir: path.resolve("prisma/migrations") });
  await checkSecretKey(db.url);
}

async function main() {
  const dev = process.argv.includes("--dev");
  checkDataDir(config.dataDir());
  await checkPortFree(config.port());
  const db = await resolveDatabase();
  try {
    await prepare(db);
  } catch (err) {
    await db.stop().catch(() => undefined);
    throw err;
  }
  const nextBin = path.resolve("node_modules/next/dist/bin/next");
  const child = spawn(
    process.execPath,
    [...WORKER_NODE_FLAGS, nextBin, dev ? "dev" : "start", "-p", String(config.port())],
    {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: db.url, DAXBOARD_DB_KIND: db.kind },
    },
  );
  superviseApp(child, { name: "daxboard", cleanup: db.stop });
}

main().catch((err) => failStartup(err));
