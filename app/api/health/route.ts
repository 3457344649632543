import { NextResponse } from "next/server";
import { getDb } from "@/lib/db";
import { config, APP_VERSION } from "@/lib/config";

export const dynamic = "force-dynamic";

// GET /api/health — database reachable, which database, version (public: holds no secrets)
export async function GET() {
  const database = config.databaseKind();
  try {
    await getDb().$queryRaw`select 1`;
    return NextResponse.json({ status: "ok", database: { kind: database, reachable: true }, version: APP_VERSION });
  } catch {
    return NextResponse.json(
      { status: "degraded", database: { kind: database, reachable: false }, version: APP_VERSION },
      { status: 503 },
    );
  }
}
