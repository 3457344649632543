import { apiRoute } from "@/lib/api/route";
import { retrustHostKey, retrustSchema } from "@/lib/hosts/retrust-host-key";

// POST /api/hosts/:id/host-key — re-trust the key the host presented after a mismatch (admin, audited)
export const POST = apiRoute({ role: "admin", body: retrustSchema }, async ({ actor, params, body }) => ({
  hostKey: await retrustHostKey(actor, params.id, body.fingerprint),
}));
