import { apiRoute } from "@/lib/api/route";
import { listDeliveries } from "@/lib/webhooks/webhook-deliveries";

// GET /api/webhooks/:id/deliveries — the endpoint's last 50 deliveries (admin)
export const GET = apiRoute({ role: "admin" }, async ({ params }) => ({
  deliveries: await listDeliveries(params.id),
}));
