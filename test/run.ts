// `npm test`: Vitest (unit + integration) on a fresh database, then Playwright in Debian's Chromium against a
// production build on another fresh database. Prints `tests: N passed, N failed` and exits non-zero on failure.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createTestDatabase, startTestServer } from "./support/test-database";

const RESULTS = path.resolve("test-results");
const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };

function run(cmd: string, args: string[], extraEnv: Record<string, string>): number {
  const res = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return res.status ?? 1;
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const only = process.argv[2];
  const server = await startTestServer();
  let passed = 0;
  let failed = 0;
  let broken = false;
  try {
    // One production build serves the launcher test (vitest) and the browser tests.
    const built = run(process.execPath, ["node_modules/next/dist/bin/next", "build"], {});
    if (built !== 0) {
      broken = true;
      throw new Error("next build failed");
    }
    // Static checks count as tests: the schema and the committed migrations agree, the code lints clean and is
    // formatted by Prettier.
    if (!only) {
      const checks: [string, string[], Record<string, string>][] = [
        ["db:check", ["--import", "tsx", "lib/cli/db.ts", "check"], { DATABASE_URL: server.baseUrl }],
        ["eslint", ["node_modules/eslint/bin/eslint.js", "."], {}],
        ["prettier", ["node_modules/prettier/bin/prettier.cjs", "--check", "--log-level", "warn", "."], {}],
      ];
      for (const [name, args, extra] of checks) {
        const ok = run(process.execPath, args, extra) === 0;
        process.stdout.write(`check ${name}: ${ok ? "passed" : "FAILED"}\n`);
        if (ok) passed++;
        else failed++;
      }
    }
    if (only !== "e2e") {
      const db = await createTestDatabase(server.baseUrl, "daxboard_vitest");
      const file = path.join(RESULTS, "vitest.json");
      fs.rmSync(file, { force: true });
      const code = run(
        process.execPath,
        ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile=${file}`],
        {
          DAXBOARD_TEST_DATABASE_URL: db.url,
          DAXBOARD_TEST_SERVER_URL: server.baseUrl,
        },
      );
      await db.drop();
      const report = readJson(file);
      passed += Number(report?.numPassedTests ?? 0);
      failed += Number(report?.numFailedTests ?? 0);
      if (code !== 0 && !report?.numFailedTests) broken = true;
    }
    if (only !== "vitest") {
      const db = await createTestDatabase(server.baseUrl, "daxboard_e2e");
      const file = path.join(RESULTS, "playwright.json");
      fs.rmSync(file, { force: true });
      const code = run(
        process.execPath,
        ["node_modules/@playwright/test/cli.js", "test", "-c", "test/e2e/playwright.config.ts"],
        {
          DAXBOARD_E2E_DATABASE_URL: db.url,
          PLAYWRIGHT_JSON_OUTPUT_NAME: file,
        },
      );
      await db.drop();
      const stats = readJson(file)?.stats as { expected?: number; unexpected?: number; flaky?: number } | undefined;
      passed += Number(stats?.expected ?? 0) + Number(stats?.flaky ?? 0);
      failed += Number(stats?.unexpected ?? 0);
      if (code !== 0 && !stats?.unexpected) broken = true;
    }
  } finally {
    await server.stop();
  }
  // A run that crashed before reporting counts as a failure even with no failed test.
  if (broken) failed += 1;
  process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`test runner failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.stdout.write("tests: 0 passed, 1 failed\n");
    process.exit(1);
  },
);
