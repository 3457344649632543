import path from "node:path";

// Every setting DAXboard reads from the environment, in one place (README "Configuration").
export const config = {
  dataDir: () =>
    path.resolve(/*turbopackIgnore: true*/ process.env.DAXBOARD_DATA_DIR ?? path.join(process.cwd(), ".data")),
  databaseUrl: () => process.env.DATABASE_URL || undefined,
  databaseKind: (): "embedded" | "external" => (process.env.DAXBOARD_DB_KIND === "embedded" ? "embedded" : "external"),
  embeddedPort: () => Number(process.env.DAXBOARD_EMBEDDED_PG_PORT ?? 54329),
  secretKey: () => process.env.DAXBOARD_SECRET_KEY || undefined,
  sessionTtlHours: () => Number(process.env.DAXBOARD_SESSION_TTL_HOURS ?? 12),
  adminEmail: () => process.env.DAXBOARD_ADMIN_EMAIL || undefined,
  adminPassword: () => process.env.DAXBOARD_ADMIN_PASSWORD || undefined,
  port: () => Number(process.env.PORT ?? 3000),
  logLevel: () => process.env.LOG_LEVEL ?? "info",
  // The URL users reach DAXboard at (e.g. https://daxboard.example.com). It decides the Secure cookie flag, the
  // origin that mutations must come from, and HSTS; forwarded headers are never trusted for that (issue 12).
  publicUrl: (): URL | undefined => {
    const raw = process.env.DAXBOARD_PUBLIC_URL;
    if (!raw) return undefined;
    try {
      return new URL(raw);
    } catch {
      throw new Error(`DAXBOARD_PUBLIC_URL is not a URL: ${JSON.stringify(raw)}`);
    }
  },
  // Single sign-on with OpenID Connect (issue 14): off while the issuer is unset (lib/oidc/settings.ts checks them).
  oidcIssuer: () => process.env.DAXBOARD_OIDC_ISSUER || undefined,
  oidcClientId: () => process.env.DAXBOARD_OIDC_CLIENT_ID || undefined,
  oidcClientSecret: () => process.env.DAXBOARD_OIDC_CLIENT_SECRET || undefined,
  oidcGroupsClaim: () => process.env.DAXBOARD_OIDC_GROUPS_CLAIM || "groups",
  oidcRoleMap: () => process.env.DAXBOARD_OIDC_ROLE_MAP ?? "",
  oidcName: () => process.env.DAXBOARD_OIDC_NAME || undefined,
  // "off" refuses password logins once everyone signs in through the identity provider.
  localLogin: () => (process.env.DAXBOARD_LOCAL_LOGIN ?? "on").trim().toLowerCase() !== "off",
};

export const APP_VERSION = "0.1.0";
