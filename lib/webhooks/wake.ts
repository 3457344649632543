import { wakeSignal } from "../wake-signal";

// Events stored by any process (a worker's scan, the app's test button) are sent at once by the delivery workers
// of every process (lib/wake-signal.ts).
const deliveries = wakeSignal("daxboard_webhooks");
export const onWebhookWake = deliveries.on;
export const wakeWebhookWorkers = deliveries.wake;
