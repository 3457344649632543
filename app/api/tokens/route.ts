import { NextResponse } from "next/server";
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { issueToken, listTokens } from "@/lib/tokens/manage-tokens";
import { roleSchema } from "@/lib/users/user-input";

const createTokenSchema = z.object({ name: z.string().trim().min(1, "name is required").max(100), role: roleSchema }).strict();

// GET /api/tokens — API tokens without their values (admin)
export const GET = apiRoute({ role: "admin" }, async () => ({ tokens: await listTokens() }));

// POST /api/tokens — issue a token; its value is shown once (admin)
export const POST = apiRoute({ role: "admin", body: createTokenSchema }, async ({ actor, body }) =>
  NextResponse.json(await issueToken(actor, body), { status: 201 }),
);
