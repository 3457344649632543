import type { ChildProcess } from "node:child_process";

// Whether a child process has ended (by exit code or by signal).
export const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

// Resolves true once the child has ended, or false if `ms` passes first.
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
