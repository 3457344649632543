import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { errorCode, StartupError } from "../db/startup-error";

// The data directory must exist and take a file. A new one is made 0700: it holds the secret key and the
// database password.
export function checkDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (err) {
    throw new StartupError(
      `the data directory ${dir} is not writable (${errorCode(err) ?? (err as Error).message}); ` +
        `set DAXBOARD_DATA_DIR to a directory this user can write, or fix its owner and mode`,
    );
  }
}

// Next.js would fail on a taken port only after the database started, with a stack trace: try it first, on the
// same address Next listens on (every interface).
export async function checkPortFree(port: number): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StartupError(`PORT must be a port number from 1 to 65535, not ${JSON.stringify(process.env.PORT)}`);
  }
  const code = await new Promise<string | undefined>((resolve) => {
    const server = net.createServer();
    server.once("error", (err) => resolve(errorCode(err) ?? err.message));
    server.listen(port, () => server.close(() => resolve(undefined)));
  });
  if (code === "EADDRINUSE") {
    throw new StartupError(`port ${port} is already in use; stop what listens there, or set PORT to a free port`);
  }
  if (code === "EACCES") {
    throw new StartupError(`this user may not listen on port ${port}; set PORT to a port from 1024 up`);
  }
  if (code) throw new StartupError(`cannot listen on port ${port} (PORT): ${code}`);
}

const sentence = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

// Every start-up failure ends here: one line on stderr (plus the detail lines a StartupError carries, such as
// the end of the database's log), never a stack trace, and exit code 1.
export function failStartup(err: unknown, prefix = "daxboard"): never {
  const message = err instanceof StartupError ? err.message : `failed to start: ${sentence(err)}`;
  const detail = err instanceof StartupError ? err.detail.map((line) => `  | ${line}\n`).join("") : "";
  process.stderr.write(`${prefix}: ${message}\n${detail}`);
  process.exit(1);
}
