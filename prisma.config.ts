import { defineConfig } from "prisma/config";

// Prisma 7 reads no .env and env() throws when unset during `generate`; the URL is only needed by the CLI's
// migrate commands, which DAXboard replaces with lib/db/migrate (see README).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
