import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { sendTestEvent } from "@/lib/webhooks/webhook-deliveries";

// POST /api/webhooks/:id/test — queue a test event to the endpoint (admin)
export const POST = apiRoute({ role: "admin" }, async ({ actor, params }) =>
  NextResponse.json({ delivery: await sendTestEvent(actor, params.id) }, { status: 202 }),
);
