import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { requestPrune } from "@/lib/history/request-prune";

// POST /api/settings/history/prune — "Prune now": queue a prune with the saved policy (admin, audited)
export const POST = apiRoute({ role: "admin" }, async ({ actor }) =>
  NextResponse.json({ queued: true, ...(await requestPrune(actor)) }, { status: 202 }),
);
