import { wakeSignal } from "../wake-signal";

// Events stored by this process are sent at once by this process's delivery workers.
const deliveries = wakeSignal();
export const onWebhookWake = deliveries.on;
export const wakeWebhookWorkers = deliveries.wake;
