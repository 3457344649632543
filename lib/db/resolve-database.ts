import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { config } from "../config";
import { startEmbeddedDatabase } from "./embedded";

// Where the embedded cluster and its server's log live, for the start output and error messages.
export type EmbeddedPlace = { clusterDir: string; logFile: string };

export type ResolvedDatabase = {
  url: string;
  kind: "embedded" | "external";
  place?: EmbeddedPlace;
  stop: () => Promise<void>;
};

const runtimeFile = () => path.join(config.dataDir(), "embedded.json");

type Runtime = { url: string; pid: number } & Partial<EmbeddedPlace>;

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// DATABASE_URL when set; otherwise the embedded default. A CLI started beside a running app reuses the app's
// embedded server (found through data/embedded.json) instead of fighting it for the data directory.
export async function resolveDatabase(): Promise<ResolvedDatabase> {
  const external = config.databaseUrl();
  if (external) return { url: external, kind: "external", stop: async () => {} };
  const file = runtimeFile();
  if (fs.existsSync(file)) {
    const { url, clusterDir, logFile } = JSON.parse(fs.readFileSync(file, "utf8")) as Runtime;
    const place = clusterDir && logFile ? { clusterDir, logFile } : undefined;
    if (await reachable(url)) return { url, kind: "embedded", place, stop: async () => {} };
  }
  const db = await startEmbeddedDatabase({ dataDir: config.dataDir(), port: config.embeddedPort() });
  const place = { clusterDir: db.clusterDir, logFile: db.logFile };
  const runtime: Runtime = { url: db.url, pid: process.pid, ...place };
  fs.writeFileSync(file, JSON.stringify(runtime), { mode: 0o600 });
  return {
    url: db.url,
    kind: "embedded",
    place,
    stop: async () => {
      fs.rmSync(file, { force: true });
      await db.stop();
    },
  };
}

// The start output's line on the database: which one, and where the embedded cluster and its log live.
export function describeDatabase(db: ResolvedDatabase): string {
  if (db.kind === "external") return `database external (DATABASE_URL); data directory ${config.dataDir()}`;
  const where = db.place ? `data in ${db.place.clusterDir}, log ${db.place.logFile}; ` : "";
  return `database embedded PostgreSQL (${where}password and secret key in ${config.dataDir()})`;
}
