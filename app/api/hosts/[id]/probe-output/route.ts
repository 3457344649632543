import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { importProbeOutput, importProbeOutputSchema } from "@/lib/scan/import-probe-output";

// POST /api/hosts/:id/probe-output — import a document produced by hand with /probe.sh
export const POST = apiRoute({ role: "operator", body: importProbeOutputSchema }, async ({ actor, params, body }) =>
  NextResponse.json({ scan: await importProbeOutput(actor, params.id, body.output) }, { status: 201 }),
);
