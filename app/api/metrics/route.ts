import type { NextRequest } from "next/server";
import { resolveActor, toErrorResponse } from "@/lib/api/route";
import { unauthenticated } from "@/lib/api/errors";
import { metricsActorFromBearer } from "@/lib/auth/api-tokens";
import { METRICS_CONTENT_TYPE, renderMetrics } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";

// GET /api/metrics — Prometheus text format. Any API token (every role reads) or a metrics-scoped token, sent as
// `Authorization: Bearer` (Prometheus' `authorization` scrape setting); a logged-in browser session also reads it.
export async function GET(req: NextRequest): Promise<Response> {
  try {
    const bearer = req.headers.get("authorization");
    const actor = bearer ? await metricsActorFromBearer(bearer) : await resolveActor(req);
    if (!actor) throw unauthenticated();
    return new Response(await renderMetrics(), {
      headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" },
    });
  } catch (err) {
    return toErrorResponse(err, req);
  }
}
