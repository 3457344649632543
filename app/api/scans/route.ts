import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { bulkScanSchema, requestScans } from "@/lib/scan/request-scan";

// POST /api/scans — queue scans for many hosts, by ids or by a filter
export const POST = apiRoute({ role: "operator", body: bulkScanSchema }, async ({ actor, body }) =>
  NextResponse.json(await requestScans(actor, body), { status: 202 }),
);
