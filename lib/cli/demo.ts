// npm run demo : the app on the embedded database with a simulated fleet of arm64 hosts built from the real
// captures (plus a few hostile ones, named hostile-*), all scanned, so the dashboard shows real variety.
// Running it again reuses the same hosts: fixed loopback ports and host keys kept in the data directory. Start-up
// checks and the stop order (app, then the simulated hosts, then the database) are the same as `npm start`'s.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { config } from "../config";
import { closeDb } from "../db";
import { deployMigrations } from "../db/migrate";
import { describeDatabase, resolveDatabase } from "../db/resolve-database";
import { systemActor } from "../auth/roles";
import { requestScan } from "../scan/request-scan";
import { stopBoss } from "../scan/queue";
import { WORKER_NODE_FLAGS } from "../scan/worker-options";
import { checkDataDir, checkPortFree, failStartup } from "./startup-checks";
import { superviseApp } from "./supervise-app";
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

async function startSims(keys: DemoKeys): Promise<SimHost[]> {
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
  return sims;
}

async function main() {
  checkDataDir(config.dataDir());
  await checkPortFree(config.port());
  const keys = loadKeys(path.join(config.dataDir(), "demo", "keys.json"));
  const sims = await startSims(keys);
  const db = await resolveDatabase();
  // What the demo itself holds, released after the app has stopped (the database last).
  const cleanup = async () => {
    await stopBoss();
    await closeDb();
    await Promise.all(sims.map((s) => s.close()));
    await db.stop();
  };
  let hostIds: string[];
  try {
    process.env.DATABASE_URL = db.url;
    process.stdout.write(`demo: ${describeDatabase(db)}\n`);
    await deployMigrations({ url: db.url, migrationsDir: path.resolve("prisma/migrations") });
    hostIds = await registerDemoFleet({ clientPrivateKey: keys.client.privateKey, firstPort: FIRST_PORT });
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
  const actor = systemActor("demo");

  const app = spawn(
    process.execPath,
    [...WORKER_NODE_FLAGS, path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(config.port())],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, DATABASE_URL: db.url, DAXBOARD_DB_KIND: db.kind },
    },
  );
  superviseApp(app, { name: "demo", cleanup });
  for (const id of hostIds) await requestScan(actor, id, { audit: false });

  const url = `http://localhost:${config.port()}`;
  process.stdout.write(
    `\nDAXboard demo: ${DEMO_FLEET.length} simulated hosts on 127.0.0.1:${FIRST_PORT}-${FIRST_PORT + DEMO_FLEET.length - 1}, scans queued.\n` +
      `  open   ${url}\n  login  ${DEMO_EMAIL} / ${DEMO_PASSWORD}\n  stop   Ctrl-C\n\n`,
  );
}

main().catch((err) => failStartup(err, "demo"));
