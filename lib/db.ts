import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

type Holder = { client: PrismaClient; pool: pg.Pool };

function create(): Holder {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start DAXboard with `npm start` (embedded database) or set it");
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DAXBOARD_DB_POOL ?? 10) });
  // An idle connection dropped by a database restart is replaced on next use; without a listener the pool's
  // 'error' event would end the process.
  pool.on("error", () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  // Secrets are omitted by default: a query must opt in to read a password hash or a ciphertext.
  const client: PrismaClient = new PrismaClient({
    adapter,
    omit: {
      user: { passwordHash: true },
      credential: { ciphertext: true, iv: true, authTag: true },
      apiToken: { tokenHash: true },
      webhook: { secretCiphertext: true, secretIv: true, secretAuthTag: true },
    },
  });
  return { client, pool };
}

const holder = globalThis as unknown as { __daxboardDb?: Holder };

// The one Prisma client, created on first use so importing this module never needs a database.
export function getDb(): PrismaClient {
  holder.__daxboardDb ??= create();
  return holder.__daxboardDb.client;
}

// The connection pool under that client, for the scan hot path only (lib/scan/scan-store.ts): Prisma sends raw
// SQL parameters through JSON.stringify and JSON.parse on their way to pg, which for a batch of scan results
// (about 25 KB each) cost ~5 % of the worker's CPU in the bench. Same connections, same database.
export function getPool(): pg.Pool {
  holder.__daxboardDb ??= create();
  return holder.__daxboardDb.pool;
}

export async function closeDb(): Promise<void> {
  const current = holder.__daxboardDb;
  holder.__daxboardDb = undefined;
  // $disconnect ends the pool too (disposeExternalPool); a client that never connected leaves it to us.
  await current?.client.$disconnect();
  if (current && !current.pool.ended) await current.pool.end().catch(() => undefined);
}
