import { NextRequest } from "next/server";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

// Like call() in api.ts, but every header is the test's to choose (cookies, origins, proxies, content types).
export async function send(
  handler: Handler,
  opts: {
    method?: string;
    url?: string;
    headers?: Record<string, string>;
    body?: unknown;
    rawBody?: string;
    params?: Record<string, string>;
  } = {},
) {
  const url = opts.url ?? "http://daxboard.test/";
  const headers = new Headers({ host: new URL(url).host, ...opts.headers });
  const body = opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined);
  const req = new NextRequest(url, { method: opts.method ?? (body !== undefined ? "POST" : "GET"), headers, body });
  const res = await handler(req, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let json: Record<string, any> | null = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json: json as Record<string, any>, text, headers: res.headers };
}

export const jsonFrom = (origin = "http://daxboard.test") => ({ "content-type": "application/json", origin });

export function sessionCookieValue(res: { headers: Headers }, name = "daxboard_session"): string {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  const value = line?.slice(name.length + 1).split(";")[0];
  if (!value) throw new Error(`no ${name} cookie set`);
  return value;
}
