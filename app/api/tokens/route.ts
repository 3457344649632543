import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { createTokenSchema, issueToken, listTokens } from "@/lib/tokens/manage-tokens";

// GET /api/tokens — API tokens without their values, with last use and expiry (admin)
export const GET = apiRoute({ role: "admin" }, async () => ({ tokens: await listTokens() }));

// POST /api/tokens — issue a token, optionally expiring after expiresInDays; its value is shown once (admin)
export const POST = apiRoute({ role: "admin", body: createTokenSchema }, async ({ actor, body }) =>
  NextResponse.json(await issueToken(actor, body), { status: 201 }),
);
