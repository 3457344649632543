"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api";
import { hostKeys } from "../hosts/host-queries";
import type { ImportCounts, ImportFormat, ImportRow } from "@/lib/hosts/import/import-types";

// Shapes shared with the server (type-only imports: nothing of lib/hosts/import reaches the browser bundle).
export type { ImportFormat, ImportCounts } from "@/lib/hosts/import/import-types";
export type ImportPreviewRow = Omit<ImportRow, "hostId">;
export type ImportDefaults = { username?: string; port?: number };
export type ImportAuth =
  { type: "key"; privateKey: string; passphrase?: string } | { type: "password"; password: string } | { type: "agent" };

export type ImportPreview = { rows: ImportPreviewRow[]; counts: ImportCounts };

export type ImportResult = { created: number; updated: number; invalid: number | unknown[] };

type PreviewInput = { format: ImportFormat; text: string; defaults?: ImportDefaults };

export const importKeys = { all: ["import"] as const };

// The preview writes nothing; only the confirmed import does, and it refreshes every host list.
export function useImportPreview() {
  return useMutation({
    mutationKey: [...importKeys.all, "preview"],
    mutationFn: (input: PreviewInput) =>
      apiFetch<ImportPreview>("/api/hosts/import/preview", { method: "POST", json: input }),
  });
}

export function useImportHosts() {
  const client = useQueryClient();
  return useMutation({
    mutationKey: [...importKeys.all, "commit"],
    mutationFn: (input: PreviewInput & { auth: ImportAuth }) =>
      apiFetch<ImportResult>("/api/hosts/import", { method: "POST", json: input }),
    onSettled: () => client.invalidateQueries({ queryKey: hostKeys.all }),
  });
}

export function detectFormat(fileName: string, text: string): ImportFormat {
  if (/\.ya?ml$/i.test(fileName) || /^\s*(all|[\w-]+):\s*$/m.test(text.split("\n")[0] ?? "")) return "ansible-yaml";
  if (/\.(ini|cfg|inventory)$/i.test(fileName) || /^\s*\[[^\]]+\]\s*$/m.test(text)) return "ansible-ini";
  return "csv";
}
