import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT_HOME } from "@/lib/db/embedded-root";
import { freePort, alive } from "../support/processes";

// The launcher's stop order: SIGTERM goes to the app, the launcher waits for the app to exit (it finishes what it
// is doing first), and only then stops the embedded PostgreSQL and exits 0, leaving no server process behind.
// The app is kept busy by a request whose body is still arriving: Next.js lets it finish before it exits, and
// answering it needs the database. Needs the production build npm test makes first.

const built = fs.existsSync(".next/BUILD_ID");
if (!built) console.warn("launcher-stop.test.ts: no .next build (npm test builds first); skipping");

async function until(fn: () => Promise<boolean> | boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await Promise.resolve(fn()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A login whose body is sent in two parts: the second only when `finish` is called. Resolves to the status code.
function slowLogin(port: number): { sent: Promise<void>; finish: () => void; status: Promise<number> } {
  const body = JSON.stringify({ email: "nobody@example.com", password: "not a password of anyone" });
  const half = Math.floor(body.length / 2);
  const socket = net.connect(port, "127.0.0.1");
  const head =
    `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  const sent = new Promise<void>((resolve) =>
    socket.once("connect", () => socket.write(head + body.slice(0, half), () => resolve())),
  );
  let reply = "";
  socket.on("data", (d) => (reply += d));
  const status = new Promise<number>((resolve, reject) => {
    socket.once("end", () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)));
    socket.once("error", reject);
  });
  return { sent, finish: () => socket.write(body.slice(half)), status };
}

describe.skipIf(!built)("launcher stop order", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "daxboard-stop-"));
  let app: ChildProcess | undefined;
  afterAll(() => {
    if (app && app.exitCode === null) app.kill("SIGKILL");
    const pointer = path.join(dataDir, "pg-location");
    const clusterHome = fs.existsSync(pointer) ? path.dirname(fs.readFileSync(pointer, "utf8").trim()) : undefined;
    if (clusterHome?.startsWith(`${ROOT_HOME}/`)) fs.rmSync(clusterHome, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("waits for the app to finish, then stops the embedded PostgreSQL, and exits 0", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DAXBOARD_DATA_DIR: dataDir,
      PORT: String(port),
      DAXBOARD_EMBEDDED_PG_PORT: String(await freePort()),
      LOG_LEVEL: "warn",
    };
    delete env.DATABASE_URL;
    delete env.DAXBOARD_TEST_DATABASE_URL;
    let output = "";
    app = spawn(process.execPath, ["--import", "tsx", "lib/cli/start.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    const launcher = app;
    launcher.stdout?.on("data", (d) => (output += d));
    launcher.stderr?.on("data", (d) => (output += d));
    await until(
      async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).ok,
      90_000,
      () => `the app (output: ${output})`,
    );
    const clusterDir = /data in (\S+), log /.exec(output)?.[1];
    expect(clusterDir, output).toBeTruthy();
    const postmaster = Number(fs.readFileSync(path.join(clusterDir!, "postmaster.pid"), "utf8").split("\n")[0]);
    expect(alive(postmaster)).toBe(true);

    const login = slowLogin(port);
    await login.sent;
    const exited = new Promise<number | null>((resolve) => launcher.once("exit", resolve));
    launcher.kill("SIGTERM");
    await until(
      () => output.includes("SIGTERM: stopping the app"),
      10_000,
      () => `the stop (output: ${output})`,
    );
    // The app is still busy with the request: the launcher waits, and the database is still up.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(launcher.exitCode).toBeNull();
    expect(alive(postmaster)).toBe(true);
    login.finish();
    // A 401 needed the database (the user lookup); a stopped database would have made it a 500.
    expect(await login.status, output).toBe(401);

    expect(await exited, output).toBe(0);
    expect(alive(postmaster)).toBe(false);
    expect(fs.existsSync(path.join(clusterDir!, "postmaster.pid"))).toBe(false);
  }, 150_000);
});
