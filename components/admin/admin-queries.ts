"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";

export type UserRow = {
  id: string;
  email: string;
  displayName: string;
  role: string;
  disabled: boolean;
  createdAt: string;
};
export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  role: string;
  // "metrics": the token reads GET /api/metrics only; null: the whole API at its role.
  scope: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  expiresAt: string | null;
  createdBy: { email: string } | null;
};

export const adminKeys = {
  users: ["admin", "users"] as const,
  tokens: ["admin", "tokens"] as const,
};

export const useUsers = () =>
  useQuery({ queryKey: adminKeys.users, queryFn: () => apiFetch<{ users: UserRow[] }>("/api/users") });
export const useTokens = () =>
  useQuery({ queryKey: adminKeys.tokens, queryFn: () => apiFetch<{ tokens: TokenRow[] }>("/api/tokens") });

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => apiFetch("/api/users", { method: "POST", json: body }),
    onSettled: () => client.invalidateQueries({ queryKey: adminKeys.users }),
  });
}

// Role/disable changes show at once and roll back if the server refuses.
export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: string; disabled?: boolean }) =>
      apiFetch(`/api/users/${id}`, { method: "PATCH", json: body }),
    onMutate: async ({ id, ...patch }) => {
      await client.cancelQueries({ queryKey: adminKeys.users });
      const previous = client.getQueryData<{ users: UserRow[] }>(adminKeys.users);
      client.setQueryData<{ users: UserRow[] }>(adminKeys.users, (old) =>
        old ? { users: old.users.map((u) => (u.id === id ? { ...u, ...patch } : u)) } : old,
      );
      return { previous };
    },
    onError: (_err, _vars, context) => client.setQueryData(adminKeys.users, context?.previous),
    onSettled: () => client.invalidateQueries({ queryKey: adminKeys.users }),
  });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; role: string; scope?: "metrics"; expiresInDays?: number }) =>
      apiFetch<{ token: string; name: string; expiresAt: string | null }>("/api/tokens", {
        method: "POST",
        json: body,
      }),
    onSettled: () => client.invalidateQueries({ queryKey: adminKeys.tokens }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/tokens/${id}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: adminKeys.tokens }),
  });
}
