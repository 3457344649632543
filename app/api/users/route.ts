import { NextResponse } from "next/server";
import { apiRoute } from "@/lib/api/route";
import { createUser, listUsers } from "@/lib/users/manage-users";
import { createUserSchema } from "@/lib/users/user-input";

// GET /api/users — all users (admin)
export const GET = apiRoute({ role: "admin" }, async () => ({ users: await listUsers() }));

// POST /api/users — create a user (admin)
export const POST = apiRoute({ role: "admin", body: createUserSchema }, async ({ actor, body }) =>
  NextResponse.json({ user: await createUser(actor, body) }, { status: 201 }),
);
