"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { apiFetch, ApiError } from "@/lib/client/api";
import { Button } from "../ui/button";
import { Field, TextInput } from "../ui/field";
import { Alert } from "../ui/alert";

export function SetupForm() {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await apiFetch("/api/auth/setup", {
        method: "POST",
        json: {
          setupCode: form.get("setupCode"),
          email: form.get("email"),
          displayName: form.get("displayName"),
          password: form.get("password"),
        },
      });
      router.replace("/");
      router.refresh();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "network", "Could not reach DAXboard."));
      setBusy(false);
    }
  }

  const fieldError = (f: string) => (error?.field === f ? error.message : undefined);
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error && !error.field ? <Alert>{error.message}</Alert> : null}
      <Field
        label="Setup code"
        htmlFor="setupCode"
        error={fieldError("setupCode")}
        hint="Printed on the server console when DAXboard started (also in the data directory's setup-code file)."
      >
        <TextInput
          id="setupCode"
          name="setupCode"
          required
          autoFocus
          autoComplete="off"
          spellCheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX"
          invalid={Boolean(fieldError("setupCode"))}
        />
      </Field>
      <Field label="Your name" htmlFor="displayName" error={fieldError("displayName")}>
        <TextInput id="displayName" name="displayName" required invalid={Boolean(fieldError("displayName"))} />
      </Field>
      <Field label="Email" htmlFor="email" error={fieldError("email")}>
        <TextInput
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          invalid={Boolean(fieldError("email"))}
        />
      </Field>
      <Field label="Password" htmlFor="password" error={fieldError("password")} hint="At least 12 characters.">
        <TextInput
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          invalid={Boolean(fieldError("password"))}
        />
      </Field>
      <Button type="submit" disabled={busy} className="w-full">
        {busy ? "Creating…" : "Create the admin account"}
      </Button>
    </form>
  );
}
