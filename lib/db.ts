import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

function createClient(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start DAXboard with `npm start` (embedded database) or set it");
  const adapter = new PrismaPg({ connectionString: url, max: Number(process.env.DAXBOARD_DB_POOL ?? 10) });
  // Secrets are omitted by default: a query must opt in to read a password hash or a ciphertext.
  return new PrismaClient({
    adapter,
    omit: {
      user: { passwordHash: true },
      credential: { ciphertext: true, iv: true, authTag: true },
      apiToken: { tokenHash: true },
    },
  });
}

const holder = globalThis as unknown as { __daxboardDb?: PrismaClient };

// The one Prisma client, created on first use so importing this module never needs a database.
export function getDb(): PrismaClient {
  holder.__daxboardDb ??= createClient();
  return holder.__daxboardDb;
}

export async function closeDb(): Promise<void> {
  const current = holder.__daxboardDb;
  holder.__daxboardDb = undefined;
  await current?.$disconnect();
}
