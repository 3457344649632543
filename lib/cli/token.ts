// npm run token -- --name NAME --role operator [--expires-days N] : issues an API token and prints it once.
// npm run token -- --name prom --scope metrics : a token that can only read GET /api/metrics.
import { parseArgs } from "node:util";
import path from "node:path";
import { resolveDatabase } from "../db/resolve-database";
import { deployMigrations } from "../db/migrate";
import { closeDb } from "../db";
import { createTokenSchema, issueToken } from "../tokens/manage-tokens";
import { systemActor } from "../auth/roles";

const USAGE = `usage: npm run token -- --name NAME --role viewer|operator|admin [--expires-days N]
       npm run token -- --name NAME --scope metrics [--expires-days N]
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      name: { type: "string" },
      role: { type: "string", default: "viewer" },
      scope: { type: "string" },
      "expires-days": { type: "string" },
    },
  });
  const days = values["expires-days"];
  const parsed = createTokenSchema.safeParse({
    name: values.name,
    role: values.role,
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(days !== undefined ? { expiresInDays: /^\d+$/.test(days) ? Number(days) : NaN } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    process.stderr.write(`token: ${issue?.path.join(".")}: ${issue?.message}\n${USAGE}`);
    return 2;
  }
  const db = await resolveDatabase();
  process.env.DATABASE_URL = db.url;
  try {
    await deployMigrations({ url: db.url, migrationsDir: path.resolve("prisma/migrations") });
    const { token, expiresAt } = await issueToken(systemActor("cli"), parsed.data);
    process.stdout.write(`${token}\n`);
    const until = expiresAt ? `, valid until ${expiresAt.toISOString()}` : "";
    const kind = parsed.data.scope ? `${parsed.data.scope} only` : parsed.data.role;
    process.stderr.write(`token "${parsed.data.name}" (${kind}${until}) created; it is not shown again\n`);
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
