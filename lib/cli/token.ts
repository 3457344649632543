// npm run token -- --name NAME --role operator : issues an API token and prints it once.
import { parseArgs } from "node:util";
import path from "node:path";
import { resolveDatabase } from "../db/resolve-database";
import { deployMigrations } from "../db/migrate";
import { closeDb } from "../db";
import { issueToken } from "../tokens/manage-tokens";
import { systemActor, ROLES, type Role } from "../auth/roles";

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { name: { type: "string" }, role: { type: "string", default: "viewer" } } });
  const role = values.role as Role;
  if (!values.name || !ROLES.includes(role)) {
    process.stderr.write("usage: npm run token -- --name NAME --role viewer|operator|admin\n");
    return 2;
  }
  const db = await resolveDatabase();
  process.env.DATABASE_URL = db.url;
  try {
    await deployMigrations({ url: db.url, migrationsDir: path.resolve("prisma/migrations") });
    const { token } = await issueToken(systemActor("cli"), { name: values.name, role });
    process.stdout.write(`${token}\n`);
    process.stderr.write(`token "${values.name}" (${role}) created; it is not shown again\n`);
    return 0;
  } finally {
    await closeDb();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`token: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
