import type { Role } from "../generated/prisma/enums";

export type { Role };
export const ROLES: readonly Role[] = ["viewer", "operator", "admin"];
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

// viewer = read; operator = also register/edit hosts and request scans; admin = also users, tokens, settings.
export function roleAtLeast(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

export type Actor =
  | { kind: "user"; id: string; label: string; role: Role; displayName: string }
  | { kind: "token"; id: string; label: string; role: Role }
  | { kind: "system"; id: null; label: string; role: Role };

export const systemActor = (label: string): Actor => ({ kind: "system", id: null, label, role: "admin" });
