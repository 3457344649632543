import { RetryLaterError } from "../api/retry-later";
import { createSlots } from "../util/slots";

// Each scrypt hash holds 128 MiB and a libuv thread for about half a second, so a burst of logins must not start
// them without bound. A few run, a few more wait their turn, and the rest are told to come back (issue 12).
export const HASH_SLOTS = { running: 2, waiting: 8 };

export const busyHashing = () =>
  new RetryLaterError("busy", "The server is busy checking other passwords; try again in a moment.", 503, 1);

export const withHashSlot = createSlots("hash", HASH_SLOTS, busyHashing);
