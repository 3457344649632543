import { NextResponse, type NextRequest } from "next/server";
import { z, type ZodType } from "zod";
import { log } from "../log";
import { actorFromBearer } from "../auth/api-tokens";
import { actorFromSession } from "../auth/sessions";
import { sessionTokenFrom } from "../auth/session-cookie";
import { config } from "../config";
import { roleAtLeast, type Actor, type Role } from "../auth/roles";
import { AppError, forbidden, unauthenticated } from "./errors";
import { readJsonBody } from "./read-body";
import { RetryLaterError } from "./retry-later";
import { mapPrismaError } from "./prisma-errors";

type RouteContext = { params: Promise<Record<string, string>> };

export type HandlerArgs<B> = { req: NextRequest; actor: Actor; body: B; params: Record<string, string> };

type Options<B> = { role: Role; body?: ZodType<B> };

export function errorResponse(err: AppError): NextResponse {
  const error: Record<string, string> = { code: err.code, message: err.message };
  if (err.field) error.field = err.field;
  const headers = err instanceof RetryLaterError ? { "retry-after": String(err.retryAfterSeconds) } : undefined;
  return NextResponse.json({ error }, { status: err.status, headers });
}

function zodToAppError(err: z.ZodError): AppError {
  const issue = err.issues[0];
  const field = issue?.path.join(".") || undefined;
  const message = field ? `${field}: ${issue?.message}` : (issue?.message ?? "Invalid input.");
  return new AppError("invalid_input", message, 422, field);
}

const crossSite = () =>
  new AppError("cross_site", "Cross-site request refused: send it from the DAXboard page or use an API token.", 403);

// The origin this app is reached at: DAXBOARD_PUBLIC_URL's when set, else the Host the request was sent to.
// x-forwarded-host is never read: any client can send it (issue 12).
function sameOrigin(req: NextRequest, sender: URL): boolean {
  const publicUrl = config.publicUrl();
  if (publicUrl) return sender.origin === publicUrl.origin;
  const host = req.headers.get("host");
  return Boolean(host) && sender.host === host && (sender.protocol === "http:" || sender.protocol === "https:");
}

// Cookie-authenticated mutations must come from our own origin (SameSite=Lax is the first line; this is the second).
export function assertSameOrigin(req: NextRequest): void {
  const sender = req.headers.get("origin") ?? req.headers.get("referer");
  let url: URL | null = null;
  try {
    url = sender && sender !== "null" ? new URL(sender) : null;
  } catch {
    url = null;
  }
  if (!url || !sameOrigin(req, url)) throw crossSite();
}

// Login and setup take no cookie, so SameSite cannot protect them: a JSON content type (which a cross-site form
// cannot send without a CORS preflight we never answer) and our own Origin, or another site could log a browser
// in to an account of its choosing (login CSRF).
export function assertJsonFromOurPage(req: NextRequest): void {
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new AppError(
      "unsupported_media_type",
      "Send the request body as JSON (content-type: application/json).",
      415,
    );
  }
  assertSameOrigin(req);
}

export async function resolveActor(req: NextRequest): Promise<Actor | null> {
  const bearer = req.headers.get("authorization");
  if (bearer) return actorFromBearer(bearer);
  const actor = await actorFromSession(sessionTokenFrom(req.cookies));
  if (actor && req.method !== "GET" && req.method !== "HEAD") assertSameOrigin(req);
  return actor;
}

export function toErrorResponse(err: unknown, req: NextRequest): NextResponse {
  if (err instanceof z.ZodError) return errorResponse(zodToAppError(err));
  const mapped = err instanceof AppError ? err : mapPrismaError(err);
  if (mapped) return errorResponse(mapped);
  log.error({ err, method: req.method, path: req.nextUrl.pathname }, "unhandled API error");
  return errorResponse(new AppError("internal", "Something went wrong on the server; the log has the details.", 500));
}

// One entry for every authenticated route: auth, role, CSRF, size-capped body, zod validation, error mapping.
export function apiRoute<B = undefined>(
  options: Options<B>,
  handler: (args: HandlerArgs<B>) => Promise<Response | unknown>,
) {
  return async (req: NextRequest, ctx: RouteContext): Promise<Response> => {
    try {
      const actor = await resolveActor(req);
      if (!actor) throw unauthenticated();
      if (!roleAtLeast(actor.role, options.role)) throw forbidden(options.role);
      const raw = options.body ? await readJsonBody(req) : undefined;
      const body = (options.body ? options.body.parse(raw) : undefined) as B;
      const params = ctx?.params ? await ctx.params : {};
      const result = await handler({ req, actor, body, params });
      return result instanceof Response ? result : NextResponse.json(result);
    } catch (err) {
      return toErrorResponse(err, req);
    }
  };
}
