import { z } from "zod";
import { getDb } from "../db";
import { AppError, notFound } from "../api/errors";
import { hashPassword } from "../auth/password";
import type { Actor } from "../auth/roles";
import { recordAudit } from "../audit/record-audit";
import type { CreateUserInput, updateUserSchema } from "./user-input";

const userSelect = { id: true, email: true, displayName: true, role: true, disabled: true, createdAt: true } as const;

export async function listUsers() {
  return getDb().user.findMany({ select: userSelect, orderBy: { email: "asc" } });
}

export async function createUser(actor: Actor, input: CreateUserInput) {
  const passwordHash = await hashPassword(input.password);
  return getDb().$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { email: input.email, displayName: input.displayName, role: input.role, passwordHash },
      select: userSelect,
    });
    await recordAudit(
      actor,
      { action: "user.create", targetType: "user", targetId: user.id, detail: { email: user.email, role: user.role } },
      tx,
    );
    return user;
  });
}

export async function updateUser(actor: Actor, id: string, input: z.infer<typeof updateUserSchema>) {
  if (actor.kind === "user" && actor.id === id && (input.disabled || (input.role && input.role !== "admin"))) {
    throw new AppError("invalid_input", "You cannot demote or disable yourself; ask another admin.", 422, "role");
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return getDb().$transaction(async (tx) => {
    const found = await tx.user.findUnique({ where: { id }, select: { id: true, role: true, disabled: true } });
    if (!found) throw notFound("User");
    const user = await tx.user.update({
      where: { id },
      data: { role: input.role, disabled: input.disabled, ...(passwordHash ? { passwordHash } : {}) },
      select: userSelect,
    });
    // Disabling or demoting ends the user's sessions at once.
    if (input.disabled || input.role || passwordHash) await tx.session.deleteMany({ where: { userId: id } });
    await recordAudit(
      actor,
      {
        action: "user.update",
        targetType: "user",
        targetId: id,
        detail: {
          role: input.role,
          disabled: input.disabled,
          passwordChanged: Boolean(passwordHash),
          // old → new, as the audit page shows host and settings changes
          changes: {
            ...(input.role !== undefined && input.role !== found.role
              ? { role: { old: found.role, new: input.role } }
              : {}),
            ...(input.disabled !== undefined && input.disabled !== found.disabled
              ? { disabled: { old: found.disabled, new: input.disabled } }
              : {}),
            ...(passwordHash ? { password: { old: "set", new: "reset by an admin" } } : {}),
          },
        },
      },
      tx,
    );
    return user;
  });
}
