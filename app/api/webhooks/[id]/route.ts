import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { deleteWebhook, updateWebhook } from "@/lib/webhooks/manage-webhooks";
import { updateWebhookSchema } from "@/lib/webhooks/webhook-input";

// PATCH /api/webhooks/:id — edit an endpoint; `secret: ""` removes its secret, omitted keeps it (admin)
export const PATCH = apiRoute({ role: "admin", body: updateWebhookSchema }, async ({ actor, body, params }) => ({
  webhook: await updateWebhook(actor, params.id, body),
}));

// DELETE /api/webhooks/:id — remove an endpoint and its delivery log (admin)
export const DELETE = apiRoute({ role: "admin" }, async ({ actor, params }) => {
  await deleteWebhook(actor, params.id);
  return new NextResponse(null, { status: 204 });
});
