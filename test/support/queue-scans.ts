// Child-process helper for tests: queues scans for the given host ids through lib/scan/request-scan.
import { systemActor } from "../../lib/auth/roles";
import { closeDb } from "../../lib/db";
import { stopBoss } from "../../lib/scan/queue";
import { requestScan } from "../../lib/scan/request-scan";

const ids = process.argv.slice(2);
for (const id of ids) await requestScan(systemActor("test"), id);
await stopBoss();
await closeDb();
process.exit(0);
