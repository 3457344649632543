import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { waitFor } from "../support/worker-process";

// Inside the app, `next start` has installed its own SIGTERM/SIGINT handler (close the HTTP server, exit 143/130)
// before instrumentation.ts starts the workers. This process stands in for it with the same shape of handler, and
// checks that the workers' stop runs first while the server still answers, that Next's handler then runs once, and
// that a repeated signal (Ctrl+C reaching both the launcher and its child) does not start a second stop.
const SCRIPT = `
import http from "node:http";
// The test ends the stand-in drain with a request, so nothing here depends on timing.
let finishDrain;
const drained = new Promise((r) => (finishDrain = r));
const server = http.createServer((req, res) => {
  if (req.url === "/finish") finishDrain();
  res.end("ok");
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
let nextRuns = 0;
process.on("SIGTERM", () => {
  nextRuns++;
  console.log("next: closing the server, runs=" + nextRuns);
  server.close(() => process.exit(143));
});
const { stopOnSignals } = await import("./lib/scan/worker-runtime.ts");
stopOnSignals(async () => {
  console.log("workers: draining, listening=" + server.listening);
  await drained;
  console.log("workers: drained, listening=" + server.listening);
}, { handOver: true });
console.log("port=" + server.address().port);
`;

describe("stop signals in the app process", () => {
  it("drains the workers before Next's own handler closes the HTTP server, once", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SCRIPT], {
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await waitFor(() => /port=\d+/.test(output), 20_000, "the stand-in server");
    const port = Number(/port=(\d+)/.exec(output)![1]);

    child.kill("SIGTERM");
    await waitFor(() => output.includes("workers: draining"), 10_000, "the drain to start");
    child.kill("SIGINT");
    child.kill("SIGTERM");
    // The web server keeps answering while the workers drain.
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("ok");
    expect(output).not.toContain("next:");
    await fetch(`http://127.0.0.1:${port}/finish`);

    expect(await exited, output).toBe(143);
    const lines = output.split("\n").filter((l) => /^(workers|next):/.test(l));
    expect(lines).toEqual([
      "workers: draining, listening=true",
      "workers: drained, listening=true",
      "next: closing the server, runs=1",
    ]);
  });
});
