import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { createWebhook, listWebhooks } from "@/lib/webhooks/manage-webhooks";
import { createWebhookSchema } from "@/lib/webhooks/webhook-input";

// GET /api/webhooks — alert endpoints, each with hasSecret instead of its secret (admin)
export const GET = apiRoute({ role: "admin" }, async () => ({ webhooks: await listWebhooks() }));

// POST /api/webhooks — add an endpoint (admin)
export const POST = apiRoute({ role: "admin", body: createWebhookSchema }, async ({ actor, body }) =>
  NextResponse.json({ webhook: await createWebhook(actor, body) }, { status: 201 }),
);
