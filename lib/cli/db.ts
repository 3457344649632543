import { parseArgs } from "node:util";
import {
  checkDrift,
  createMigration,
  defaultMigrationsDir,
  deployMigrations,
  markMigrationRolledBack,
  MigrateError,
} from "../db/migrate";

// npm run db:migrate | db:deploy | db:check — the offline stand-ins for `prisma migrate dev | deploy` and a drift
// check (issue 3). Exit codes: 0 ok, 1 drift or failure, 2 usage or configuration.

const USAGE = `usage: tsx lib/cli/db.ts <command>
  migrate [--name NAME] [--create-only]   write a migration for the changes in schema.prisma and apply it
  deploy                                  apply pending migrations
  check                                   fail when schema.prisma and prisma/migrations disagree
  resolve --rolled-back NAME              mark a failed migration as rolled back so deploy retries it
Reads DATABASE_URL. DAXBOARD_DEBUG_MIGRATE=1 prints the schema engine's log.`;

class UsageError extends Error {}

async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string" },
      "create-only": { type: "boolean", default: false },
      "rolled-back": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...extra] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!command || extra.length > 0)
    throw new UsageError(command ? `unexpected arguments: ${extra.join(" ")}` : "no command");
  const url = process.env.DATABASE_URL;
  if (!url && ["migrate", "deploy", "check", "resolve"].includes(command)) {
    console.error(
      "DATABASE_URL is not set. Set it to a PostgreSQL URL (postgresql://user:password@host:5432/db), or start the " +
        "app (`npm start`), which runs and migrates its embedded database, and use the URL it reports.",
    );
    return 2;
  }
  switch (command) {
    case "deploy": {
      const result = await deployMigrations({ url: url! });
      console.log(
        result.applied.length === 0
          ? `Database is up to date (${result.durationMs} ms).`
          : `Applied ${result.applied.length} migration(s) in ${result.durationMs} ms:\n${list(result.applied)}`,
      );
      return 0;
    }
    case "migrate": {
      const result = await createMigration({
        url: url!,
        name: values.name ?? "migration",
        apply: !values["create-only"],
      });
      if (result.applied.length > 0) console.log(`Applied:\n${list(result.applied)}`);
      console.log(result.created ? `${result.message} Written to ${result.path}/migration.sql` : result.message);
      return 0;
    }
    case "check": {
      const result = await checkDrift({ url: url! });
      if (result.inSync) {
        console.log(`schema.prisma matches the ${result.migrationCount} migration(s) (${result.durationMs} ms).`);
        return 0;
      }
      console.error(
        `schema.prisma and ${defaultMigrationsDir()} disagree: the migrations are missing this change.\n` +
          `Create a migration with \`npm run db:migrate -- --name <what-changed>\`.\n\n${result.missingSql}`,
      );
      return 1;
    }
    case "resolve": {
      const name = values["rolled-back"];
      if (!name) throw new UsageError("resolve needs --rolled-back NAME");
      await markMigrationRolledBack({ url: url!, migrationName: name });
      console.log(`Marked ${name} as rolled back.`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

const list = (names: string[]) => names.map((name) => `  ${name}`).join("\n");

async function main(): Promise<never> {
  let code: number;
  try {
    code = await run(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${(error as Error).message}\n${USAGE}`);
      code = 2;
    } else if (error instanceof MigrateError) {
      console.error(error.message);
      if (process.env.DAXBOARD_DEBUG_MIGRATE === "1" && error.details.engineMessage)
        console.error(error.details.engineMessage);
      code = error.code === "invalid_name" ? 2 : 1;
    } else {
      console.error(error);
      code = 1;
    }
  }
  // Explicit exit: nothing the engine or pg might leave scheduled should keep a CLI run alive.
  process.exit(code);
}

void main();
