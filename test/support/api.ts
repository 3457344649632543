import { NextRequest } from "next/server";
import { getDb } from "../../lib/db";
import { createApiToken } from "../../lib/auth/api-tokens";
import { hashPassword } from "../../lib/auth/password";
import type { Role } from "../../lib/auth/roles";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type CallOptions = {
  method?: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  token?: string;
  cookie?: string;
  origin?: string | null;
  params?: Record<string, string>;
};

const BASE = "http://daxboard.test";

// Calls a route handler in-process with a real Request, against the real test database.
export async function call(handler: Handler, opts: CallOptions = {}) {
  const method = opts.method ?? (opts.body !== undefined || opts.rawBody !== undefined ? "POST" : "GET");
  const headers = new Headers({ host: "daxboard.test" });
  if (opts.token) headers.set("authorization", `Bearer ${opts.token}`);
  if (opts.cookie) headers.set("cookie", `daxboard_session=${opts.cookie}`);
  if (opts.origin !== null && method !== "GET") headers.set("origin", opts.origin ?? BASE);
  const body = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  if (body !== undefined) headers.set("content-type", "application/json");
  const req = new NextRequest(new URL(opts.path ?? "/", BASE), { method, headers, body });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json: json as Record<string, any>, text, headers: res.headers };
}

export async function resetDatabase(): Promise<void> {
  await getDb().$executeRawUnsafe(
    `truncate table "AuditEvent", "Scan", "Host", "Credential", "ApiToken", "Session", "User", "GuestProfile", "ReassessRun", "Settings", "rate_limit" cascade`,
  );
}

export async function tokenFor(role: Role, name = `${role}-token`): Promise<string> {
  return (await createApiToken({ name, role })).token;
}

export async function createTestUser(email: string, role: Role, password = "correct horse battery") {
  return getDb().user.create({
    data: { email, displayName: email.split("@")[0], role, passwordHash: await hashPassword(password) },
    select: { id: true, email: true },
  });
}
