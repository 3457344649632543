import { defineConfig } from "@playwright/test";

const port = Number(process.env.DAXBOARD_E2E_PORT ?? 3917);
// The test OpenID provider (test/e2e/sso-idp.ts) the app is configured for; password logins keep working beside it.
const idpPort = Number(process.env.DAXBOARD_E2E_IDP_PORT ?? 3918);

// Debian's Chromium (no browser download); the app runs as a production build on a fresh database.
export default defineConfig({
  testDir: ".",
  outputDir: "../../test-results/e2e",
  timeout: 60_000,
  workers: 1,
  fullyParallel: false,
  reporter: [["list"], ["json"]],
  // The foundation flow starts from an empty database (first-run setup), so it runs before the dashboard's.
  projects: [
    { name: "foundation", testMatch: /foundation\.spec\.ts/ },
    { name: "dashboard", testMatch: /dashboard\.spec\.ts/, dependencies: ["foundation"] },
    // Imports its own hosts under its own tag and guest profile: independent of the dashboard's.
    { name: "zero-copy", testMatch: /zero-copy\.spec\.ts/, dependencies: ["foundation"] },
    // Reads the login page's CSP and watches for violations; creates nothing.
    { name: "security-headers", testMatch: /security-headers\.spec\.ts/, dependencies: ["foundation"] },
    // Single sign-on at the test IdP; needs an existing user (else /login sends to first-run setup).
    { name: "sso", testMatch: /sso\.spec\.ts/, dependencies: ["foundation"] },
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: "node --import tsx test/e2e/sso-idp.ts",
      cwd: "../..",
      url: `http://127.0.0.1:${idpPort}/.well-known/openid-configuration`,
      timeout: 30_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: { DAXBOARD_E2E_IDP_PORT: String(idpPort), DAXBOARD_E2E_PORT: String(port) },
    },
    {
      command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
      cwd: "../..",
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      env: {
        DATABASE_URL: process.env.DAXBOARD_E2E_DATABASE_URL ?? "",
        DAXBOARD_DB_KIND: "external",
        DAXBOARD_DATA_DIR: process.env.DAXBOARD_E2E_DATA_DIR ?? "test-results/e2e-data",
        LOG_LEVEL: "warn",
        DAXBOARD_OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
        DAXBOARD_OIDC_CLIENT_ID: "daxboard-e2e",
        DAXBOARD_OIDC_CLIENT_SECRET: "daxboard-e2e-client-secret",
        DAXBOARD_OIDC_ROLE_MAP: "daxboard-admins=admin,daxboard-ops=operator,*=viewer",
        DAXBOARD_OIDC_NAME: "Test IdP",
      },
    },
  ],
});
