import { getDb } from "../db";
import { config } from "../config";
import { AppError } from "../api/errors";
import { systemActor } from "../auth/roles";
import { log } from "../log";
import { createUser } from "./manage-users";
import { createUserSchema, type CreateUserInput } from "./user-input";

export async function hasAnyUser(): Promise<boolean> {
  return (await getDb().user.count()) > 0;
}

// First run: with no users, DAXBOARD_ADMIN_EMAIL/PASSWORD create the admin; otherwise the /setup page does.
export async function bootstrapAdminFromEnv(): Promise<void> {
  const email = config.adminEmail();
  const password = config.adminPassword();
  if (!email || !password || (await hasAnyUser())) return;
  const input = createUserSchema.parse({ email, password, displayName: "Administrator", role: "admin" });
  await createUser(systemActor("bootstrap"), input);
  log.info({ email: input.email }, "created the first admin from DAXBOARD_ADMIN_EMAIL");
}

// The one-time setup: refused as soon as any user exists. An advisory lock makes two racing requests safe.
export async function createFirstAdmin(input: CreateUserInput) {
  return getDb().$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(7213001)`;
    if ((await tx.user.count()) > 0) {
      throw new AppError("setup_done", "DAXboard is already set up: log in, or ask an admin for an account.", 409);
    }
    const { hashPassword } = await import("../auth/password");
    const user = await tx.user.create({
      data: { email: input.email, displayName: input.displayName, role: "admin", passwordHash: await hashPassword(input.password) },
      select: { id: true, email: true, role: true },
    });
    await tx.auditEvent.create({
      data: { actorType: "system", actorLabel: "setup", action: "user.create", targetType: "user", targetId: user.id, detail: { email: user.email, role: "admin" } },
    });
    return user;
  });
}
