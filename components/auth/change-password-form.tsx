"use client";

import { useState, type FormEvent } from "react";
import { apiFetch, ApiError } from "@/lib/client/api";
import { Button } from "../ui/button";
import { Field, TextInput } from "../ui/field";
import { Alert } from "../ui/alert";

export function ChangePasswordForm() {
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      if (form.get("newPassword") !== form.get("confirmPassword")) {
        throw new ApiError(422, "invalid_input", "The two new passwords differ.", "confirmPassword");
      }
      await apiFetch("/api/me/password", {
        method: "POST",
        json: { currentPassword: form.get("currentPassword"), newPassword: form.get("newPassword") },
      });
      formEl.reset();
      setDone(true);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "network", "Could not reach DAXboard."));
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  return (
    <form onSubmit={onSubmit} className="max-w-sm space-y-4" noValidate>
      {done ? <Alert tone="success">Password changed. Your other sessions have been logged out.</Alert> : null}
      {error && !error.field ? <Alert>{error.message}</Alert> : null}
      <Field label="Current password" htmlFor="currentPassword" error={fieldError("currentPassword")}>
        <TextInput
          id="currentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          invalid={Boolean(fieldError("currentPassword"))}
        />
      </Field>
      <Field
        label="New password"
        htmlFor="newPassword"
        error={fieldError("newPassword")}
        hint="At least 12 characters."
      >
        <TextInput
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          invalid={Boolean(fieldError("newPassword"))}
        />
      </Field>
      <Field label="New password again" htmlFor="confirmPassword" error={fieldError("confirmPassword")}>
        <TextInput
          id="confirmPassword"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          invalid={Boolean(fieldError("confirmPassword"))}
        />
      </Field>
      <Button type="submit" disabled={busy}>
        {busy ? "Changing…" : "Change password"}
      </Button>
    </form>
  );
}
