import { wakeSignal } from "../wake-signal";

// A scan requested in the app process starts at once on the in-process workers.
const scans = wakeSignal();
export const onWake = scans.on;
export const wakeWorkers = scans.wake;
