import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { config } from "../config";
import { startEmbeddedDatabase } from "./embedded";

export type ResolvedDatabase = { url: string; kind: "embedded" | "external"; stop: () => Promise<void> };

const runtimeFile = () => path.join(config.dataDir(), "embedded.json");

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
    const { url } = JSON.parse(fs.readFileSync(file, "utf8")) as { url: string };
    if (await reachable(url)) return { url, kind: "embedded", stop: async () => {} };
  }
  const db = await startEmbeddedDatabase({ dataDir: config.dataDir(), port: config.embeddedPort() });
  fs.writeFileSync(file, JSON.stringify({ url: db.url, pid: process.pid }), { mode: 0o600 });
  return {
    url: db.url,
    kind: "embedded",
    stop: async () => {
      fs.rmSync(file, { force: true });
      await db.stop();
    },
  };
}
