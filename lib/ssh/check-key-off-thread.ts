import { Worker } from "node:worker_threads";
import { RetryLaterError } from "../api/retry-later";
import { createSlots } from "../util/slots";

// Decrypting an encrypted OpenSSH key runs its bcrypt KDF, which ssh2 does synchronously in JavaScript (about
// 20 ms a round on this kind of machine: ssh-keygen's 16 rounds hold a thread for 0.3 s, 128 rounds for 2.7 s).
// Registration checks such keys in a worker thread so the web process keeps serving, one at a time, with a
// deadline after which the thread is terminated (issue 12).
const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { utils } = require("ssh2");
let parsed;
try { parsed = utils.parseKey(workerData.text, workerData.passphrase); } catch (err) { parsed = err; }
const key = Array.isArray(parsed) ? parsed[0] : parsed;
if (key instanceof Error || !key) parentPort.postMessage({ ok: false, message: key instanceof Error ? key.message : "" });
else parentPort.postMessage({ ok: true, isPrivate: key.isPrivateKey() });
`;

export type KeyCheck = { ok: true; isPrivate: boolean } | { ok: false; message: string; timedOut?: boolean };

const withKeySlot = createSlots(
  "key-check",
  { running: 1, waiting: 4 },
  () => new RetryLaterError("busy", "The server is busy decrypting other keys; try again in a moment.", 503, 2),
);

export function checkKeyOffThread(text: string, passphrase: string | undefined, timeoutMs = 30_000): Promise<KeyCheck> {
  return withKeySlot(
    () =>
      new Promise<KeyCheck>((resolve) => {
        // eval: the worker's code is this string, so it needs no file of its own in the Next.js build; require()
        // resolves ssh2 from the app's node_modules as the main process does.
        const worker = new Worker(SOURCE, {
          eval: true,
          workerData: { text, passphrase },
          resourceLimits: { maxOldGenerationSizeMb: 64 },
        });
        let done = false;
        const finish = (result: KeyCheck) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          void worker.terminate();
          resolve(result);
        };
        const timer = setTimeout(
          () => finish({ ok: false, message: "decrypting the key took too long", timedOut: true }),
          timeoutMs,
        );
        worker.once("message", (message: KeyCheck) => finish(message));
        worker.once("error", (err) => finish({ ok: false, message: err.message }));
        worker.once("exit", () => finish({ ok: false, message: "the key check stopped" }));
      }),
  );
}
