// npm run demo : the app on the embedded database with a simulated fleet of arm64 hosts built from the real
// captures (plus a few hostile ones, named hostile-*), all scanned, so the dashboard shows real variety.
// Running it again reuses the same hosts: fixed loopback ports and host keys kept in the data directory.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";
import { closeDb } from "../db";
import { deployMigrations } from "../db/migrate";
import { resolveDatabase } from "../db/resolve-database";
import { systemActor } from "../auth/roles";
import { requestScan } from "../scan/request-scan";
import { stopBoss } from "../scan/queue";
import { WORKER_NODE_FLAGS } from "../scan/worker-options";
import { DEMO_EMAIL, DEMO_PASSWORD, registerDemoFleet } from "../demo/register-demo-fleet";
import { DEMO_FLEET, simulatedDocument } from "../../test/support/sim-documents";
import { generateKeyPair, startSimHost, type KeyPair, type SimHost } from "../../test/support/sim-fleet";

const FIRST_PORT = Number(process.env.DAXBOARD_DEMO_FIRST_PORT ?? 52200);

type DemoKeys = { client: KeyPair; hosts: Record<string, KeyPair> };

function loadKeys(file: string): DemoKeys {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")) as DemoKeys;
  const keys: DemoKeys = {
    client: generateKeyPair("daxboard-demo"),
    hosts: Object.fromEntries(DEMO_FLEET.map((p) => [p.name, generateKeyPair(p.name)])),
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

async function main() {
  const keys = loadKeys(path.join(config.dataDir(), "demo", "keys.json"));
  const sims: SimHost[] = [];
  for (const [i, profile] of DEMO_FLEET.entries()) {
    sims.push(
      await startSimHost({
        behaviour: profile.behaviour ?? "normal",
        respond: (token) => simulatedDocument(profile, token),
        authorizedKeys: [keys.client.publicKey],
        hostKey: keys.hosts[profile.name] ?? generateKeyPair(profile.name),
        username: "daxboard",
        listenPort: FIRST_PORT + i,
      }),
    );
  }

  const db = await resolveDatabase();
  process.env.DATABASE_URL = db.url;
  await deployMigrations({ url: db.url, migrationsDir: path.resolve("prisma/migrations") });
  const hostIds = await registerDemoFleet({ clientPrivateKey: keys.client.privateKey, firstPort: FIRST_PORT });
  const actor = systemActor("demo");

  const app = spawn(
    process.execPath,
    [...WORKER_NODE_FLAGS, path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(config.port())],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, DATABASE_URL: db.url, DAXBOARD_DB_KIND: db.kind },
    },
  );
  for (const id of hostIds) await requestScan(actor, id, { audit: false });

  const url = `http://localhost:${config.port()}`;
  process.stdout.write(
    `\nDAXboard demo: ${DEMO_FLEET.length} simulated hosts on 127.0.0.1:${FIRST_PORT}-${FIRST_PORT + DEMO_FLEET.length - 1}, scans queued.\n` +
      `  open   ${url}\n  login  ${DEMO_EMAIL} / ${DEMO_PASSWORD}\n  stop   Ctrl-C\n\n`,
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (app.exitCode === null) app.kill("SIGTERM");
    await stopBoss();
    await closeDb();
    await Promise.all(sims.map((s) => s.close()));
    await db.stop();
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => void stop(0));
  app.on("exit", (code) => void stop(code ?? 0));
}

main().catch((err) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
