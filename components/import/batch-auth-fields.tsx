"use client";

import type { ChangeEvent } from "react";
import { Field, TextArea, TextInput } from "../ui/field";
import type { ImportAuth } from "./import-queries";

export type AuthDraft = { type: ImportAuth["type"]; privateKey: string; passphrase: string; password: string };

export function toImportAuth(draft: AuthDraft): ImportAuth {
  if (draft.type === "key")
    return { type: "key", privateKey: draft.privateKey, ...(draft.passphrase ? { passphrase: draft.passphrase } : {}) };
  if (draft.type === "password") return { type: "password", password: draft.password };
  return { type: "agent" };
}

export function authDraftError(draft: AuthDraft): string | null {
  if (draft.type === "key" && !draft.privateKey.trim())
    return "Paste or upload the private key the batch logs in with.";
  if (draft.type === "password" && !draft.password) return "Enter the password the batch logs in with.";
  return null;
}

// One credential for the whole batch, sealed server-side like a single registration's.
export function BatchAuthFields({ draft, onChange }: { draft: AuthDraft; onChange: (d: AuthDraft) => void }) {
  async function onKeyFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) onChange({ ...draft, privateKey: await file.text() });
  }
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium">Authentication for every imported host</legend>
      <div className="flex gap-4 text-sm" role="radiogroup" aria-label="Authentication method">
        {(["key", "password", "agent"] as const).map((t) => (
          <label key={t} className="inline-flex items-center gap-1.5">
            <input
              type="radio"
              name="batchAuth"
              value={t}
              checked={draft.type === t}
              onChange={() => onChange({ ...draft, type: t })}
            />
            {t === "key" ? "SSH key" : t === "password" ? "Password" : "SSH agent"}
          </label>
        ))}
      </div>
      {draft.type === "key" ? (
        <>
          <Field label="Batch private key" htmlFor="batchKey" hint="Encrypted at rest and never shown again.">
            <TextArea
              id="batchKey"
              rows={4}
              value={draft.privateKey}
              onChange={(e) => onChange({ ...draft, privateKey: e.target.value })}
              placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
            />
          </Field>
          <input type="file" aria-label="Upload batch private key file" onChange={onKeyFile} className="text-sm" />
          <Field label="Key passphrase (if any)" htmlFor="batchPassphrase">
            <TextInput
              id="batchPassphrase"
              type="password"
              autoComplete="off"
              value={draft.passphrase}
              onChange={(e) => onChange({ ...draft, passphrase: e.target.value })}
            />
          </Field>
        </>
      ) : draft.type === "password" ? (
        <Field label="Batch password" htmlFor="batchPassword">
          <TextInput
            id="batchPassword"
            type="password"
            autoComplete="off"
            value={draft.password}
            onChange={(e) => onChange({ ...draft, password: e.target.value })}
          />
        </Field>
      ) : (
        <p className="text-sm text-slate-500">The workers use the agent at their SSH_AUTH_SOCK.</p>
      )}
    </fieldset>
  );
}
