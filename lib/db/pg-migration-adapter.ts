import { PrismaPg } from "@prisma/adapter-pg";
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import pg from "pg";

// The pg driver adapter as the schema engine needs it. @prisma/adapter-pg 7.10.1 is written for the query
// compiler, not for the engine's catalog queries, and gets two things wrong for migrations:
//  * Postgres' internal one-byte `"char"` type (OID 18, arrays OID 1002), used by pg_constraint.contype,
//    pg_class.relkind and friends, is rejected as an unsupported column type (and "char"[] is not parsed).
//  * executeScript splits the script on every ";", which breaks semicolons inside strings, comments and
//    function bodies, and runs each piece in its own transaction. The CLI's native engine sends the whole
//    script as one simple query, which Postgres runs as a single implicit transaction: we do the same.

const CHAR_OID = 18;
const CHAR_ARRAY_OID = 1002;
const TEXT_OID = 25;
const BPCHAR_ARRAY_OID = 1014;

// pg's typings list only the type ids it names; bpchar[] has the array parser "char"[] needs.
const parseStringArray = (pg.types.getTypeParser as (oid: number, format: "text") => (value: string) => unknown)(
  BPCHAR_ARRAY_OID,
  "text",
);

// Which result columns were `"char"`, keyed by the rows array the adapter passes through untouched.
const charColumnsByRows = new WeakMap<unknown[], number[]>();

type QueryResultLike = { fields?: { dataTypeID: number }[]; rows?: unknown[][] };

function relabelCharColumns(result: unknown): unknown {
  if (Array.isArray(result)) return result.map(relabelCharColumns);
  const { fields, rows } = (result ?? {}) as QueryResultLike;
  if (!fields || !rows) return result;
  const charColumns: number[] = [];
  fields.forEach((field, index) => {
    if (field.dataTypeID === CHAR_OID) {
      // Text so the adapter's type mapping accepts it; reported as Character below.
      field.dataTypeID = TEXT_OID;
      charColumns.push(index);
    } else if (field.dataTypeID === CHAR_ARRAY_OID) {
      for (const row of rows) if (typeof row[index] === "string") row[index] = parseStringArray(row[index] as string);
    }
  });
  if (charColumns.length > 0) charColumnsByRows.set(rows, charColumns);
  return result;
}

// pg.Client whose results have their `"char"` columns relabelled before the adapter reads them. Covers both the
// promise form (adapter) and the callback form (pg-pool's own Pool#query).
class CharAwareClient extends pg.Client {
  // pg's query() has a dozen overloads; this wrapper forwards whatever it is given.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const callback = last as (err: Error | null, res: unknown) => void;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (super.query as any)(...args.slice(0, -1), (err: Error | null, res: unknown) =>
        callback(err, err ? res : relabelCharColumns(res)),
      );
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const returned = (super.query as any)(...args);
    return returned instanceof Promise ? returned.then(relabelCharColumns) : returned;
  }
}

function withCharacterColumns(result: SqlResultSet): SqlResultSet {
  const charColumns = charColumnsByRows.get(result.rows);
  if (!charColumns) return result;
  const columnTypes = [...result.columnTypes];
  for (const index of charColumns) columnTypes[index] = ColumnTypeEnum.Character;
  return { ...result, columnTypes };
}

function wrapTransaction(tx: Transaction): Transaction {
  return Object.assign(Object.create(tx) as Transaction, {
    queryRaw: async (query: SqlQuery) => withCharacterColumns(await tx.queryRaw(query)),
  });
}

function wrapAdapter(inner: SqlDriverAdapter): SqlDriverAdapter {
  return Object.assign(Object.create(inner) as SqlDriverAdapter, {
    queryRaw: async (query: SqlQuery) => withCharacterColumns(await inner.queryRaw(query)),
    startTransaction: async (...args: Parameters<SqlDriverAdapter["startTransaction"]>) =>
      wrapTransaction(await inner.startTransaction(...args)),
    // No parameters means pg uses the simple query protocol: the whole script in one message, as the CLI does.
    // executeRaw keeps the adapter's mapping of Postgres errors to the engine's error kinds.
    executeScript: async (script: string) => {
      await inner.executeRaw({ sql: script, args: [], argTypes: [] });
    },
  });
}

export type MigrationAdapterFactory = SqlMigrationAwareDriverAdapterFactory & {
  // Disposes every connection pool the engine opened: the engine itself never releases them.
  disposeAll(): Promise<void>;
};

export function createMigrationAdapterFactory(url: string): MigrationAdapterFactory {
  // One connection: the engine's advisory lock and its migration statements then share one session.
  const inner = new PrismaPg({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 30_000,
    Client: CharAwareClient,
  });
  const open = new Set<SqlDriverAdapter>();
  const track = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const wrapped = wrapAdapter(adapter);
    open.add(adapter);
    return Object.assign(wrapped, {
      dispose: async () => {
        if (open.delete(adapter)) await adapter.dispose();
      },
    });
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
    disposeAll: async () => {
      const adapters = [...open];
      open.clear();
      await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));
    },
  };
}
