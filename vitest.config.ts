import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: { "@": root, "server-only": fileURLToPath(new URL("node_modules/server-only/empty.js", import.meta.url)) },
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      // React component tests in a DOM (happy-dom: jsdom 27+ needs Node 22).
      { extends: true, test: { name: "components", include: ["test/unit/**/*.test.tsx"], environment: "happy-dom" } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // Integration files share one database and spawn servers: one file at a time.
          fileParallelism: false,
          // No scheduled history prune in the middle of a file's seeded scans (worker children inherit it); the
          // history tests set their own schedule.
          env: { DAXBOARD_HISTORY_PRUNE_CRON: "off" },
          globalSetup: ["test/support/global-setup.ts"],
        },
      },
    ],
  },
});
