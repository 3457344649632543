import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { requestScan } from "@/lib/scan/request-scan";
import { listScans } from "@/lib/scan/list-scans";

// GET /api/hosts/:id/scans — scan history, newest first
export const GET = apiRoute({ role: "viewer" }, async ({ params, req }) =>
  listScans(params.id, Number(req.nextUrl.searchParams.get("limit") ?? 50)),
);

// POST /api/hosts/:id/scans — queue a rescan (or return the one already queued or running)
export const POST = apiRoute({ role: "operator" }, async ({ actor, params }) => {
  const { scan, created } = await requestScan(actor, params.id);
  return NextResponse.json({ scan, created }, { status: 202 });
});
