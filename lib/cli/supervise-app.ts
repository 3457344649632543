import type { ChildProcess } from "node:child_process";
import { exited, waitForExit } from "../child-exit";
import { stopDeadlineMs } from "../scan/worker-options";

// How long a stop waits for the app: it lets its running scans finish within DAXBOARD_STOP_DEADLINE_SECONDS
// (then hands them back to the queue) and closes its web server; this adds a margin for that, staying below
// systemd's default TimeoutStopSec (90 s) with the default deadline (25 s).
export const appStopDeadlineMs = () => stopDeadlineMs() + 30_000;

// Passes a stop signal on to the app and waits for it to exit; SIGKILL after the deadline. True when the app
// stopped by itself.
export async function stopApp(child: ChildProcess, signal: NodeJS.Signals, deadlineMs: number): Promise<boolean> {
  if (exited(child)) return true;
  child.kill(signal);
  if (await waitForExit(child, deadlineMs)) return true;
  child.kill("SIGKILL");
  await waitForExit(child, 5_000);
  return false;
}

type Supervision = {
  name: string;
  // Runs after the app has exited: stops what the app used (the embedded database last).
  cleanup: () => Promise<void>;
  deadlineMs?: number;
};

// The launcher's stop order. On SIGTERM, SIGINT or SIGHUP: the app gets SIGTERM (SIGINT stays SIGINT) and is
// waited for, then cleanup runs, then the launcher exits 0 (1 if the app had to be killed). If the app exits on
// its own, cleanup runs and the launcher exits with the app's code.
export function superviseApp(child: ChildProcess, opts: Supervision): void {
  const deadlineMs = opts.deadlineMs ?? appStopDeadlineMs();
  const say = (line: string) => process.stdout.write(`${opts.name}: ${line}\n`);
  let stopping = false;
  const finish = async (code: number) => {
    await opts.cleanup().catch((err) => process.stderr.write(`${opts.name}: stopping failed: ${String(err)}\n`));
    say("stopped");
    process.exit(code);
  };
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping the app (it finishes its running scans, up to ${deadlineMs / 1000} s)`);
    const clean = await stopApp(child, signal === "SIGINT" ? "SIGINT" : "SIGTERM", deadlineMs);
    if (!clean) say(`the app did not stop within ${deadlineMs / 1000} s and was killed`);
    await finish(clean ? 0 : 1);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void onSignal(signal));
  child.on("exit", (code, signal) => {
    if (stopping) return;
    stopping = true;
    say(`the app exited (${code ?? signal})`);
    void finish(code ?? 1);
  });
}
