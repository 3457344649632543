import { wakeSignal } from "../wake-signal";

// A scan requested in any process starts at once on this process's workers and, through PostgreSQL NOTIFY, on
// every other process's (lib/wake-signal.ts).
const scans = wakeSignal("daxboard_scans");
export const onWake = scans.on;
export const wakeWorkers = scans.wake;
