import pg from "pg";
import { errorCode, StartupError } from "./startup-error";

const REFUSED_LOGIN = new Set(["28P01", "28000"]);
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH"]);

function parse(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new StartupError("DATABASE_URL is not a URL (postgresql://user:password@host:5432/database)");
  }
}

// What went wrong, naming the server and user from DATABASE_URL and never its password (which PostgreSQL's own
// messages do not carry either; it is masked here in case a driver's message ever did).
export function describeLoginFailure(url: string, err: unknown): string {
  const u = parse(url);
  const server = `PostgreSQL at ${u.hostname}:${u.port || 5432}`;
  const user = decodeURIComponent(u.username) || "(none)";
  const database = decodeURIComponent(u.pathname.slice(1)) || user;
  const code = errorCode(err) ?? "";
  let reason = err instanceof Error ? err.message : String(err);
  if (u.password) reason = reason.split(decodeURIComponent(u.password)).join("***");
  if (REFUSED_LOGIN.has(code)) return `${server} refused the login of user "${user}" (DATABASE_URL): ${reason}`;
  if (code === "3D000") return `${server} has no database "${database}" (DATABASE_URL): create it, or fix the URL`;
  if (UNREACHABLE.has(code)) return `cannot reach ${server} (DATABASE_URL): ${reason}`;
  return `${server}, user "${user}" (DATABASE_URL): ${reason}`;
}

// An external DATABASE_URL must let us in before anything else runs against it.
export async function checkDatabaseLogin(url: string): Promise<void> {
  parse(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
  } catch (err) {
    throw new StartupError(describeLoginFailure(url, err));
  } finally {
    await client.end().catch(() => undefined);
  }
}
