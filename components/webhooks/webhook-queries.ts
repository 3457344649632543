"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";

export type WebhookRow = {
  id: string;
  name: string;
  url: string;
  format: "json" | "slack";
  events: string[];
  failureThreshold: number;
  enabled: boolean;
  disabledReason: string | null;
  hasSecret: boolean;
};

export type DeliveryRow = {
  id: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

export const webhookKeys = {
  all: ["webhooks"] as const,
  deliveries: (id: string) => ["webhooks", id, "deliveries"] as const,
};

export const useWebhooks = () =>
  useQuery({ queryKey: webhookKeys.all, queryFn: () => apiFetch<{ webhooks: WebhookRow[] }>("/api/webhooks") });

// Refreshed while open so a retry's next attempt and its outcome show up without a reload.
export const useDeliveries = (id: string) =>
  useQuery({
    queryKey: webhookKeys.deliveries(id),
    queryFn: () => apiFetch<{ deliveries: DeliveryRow[] }>(`/api/webhooks/${id}/deliveries`),
    refetchInterval: 5000,
  });

export function useSaveWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: Record<string, unknown> }) =>
      id
        ? apiFetch(`/api/webhooks/${id}`, { method: "PATCH", json: body })
        : apiFetch("/api/webhooks", { method: "POST", json: body }),
    onSettled: () => client.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch(`/api/webhooks/${id}`, { method: "DELETE" }),
    onSettled: () => client.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useSendTestEvent(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch(`/api/webhooks/${id}/test`, { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: webhookKeys.deliveries(id) }),
  });
}
