"use client";

import { useState, type FormEvent } from "react";
import { ApiError } from "@/lib/client/api";
import { useCreateUser, useUpdateUser, useUsers } from "./admin-queries";
import { Button } from "../ui/button";
import { Field, TextInput, inputClass } from "../ui/field";
import { Alert } from "../ui/alert";

export function UsersAdmin() {
  const users = useUsers();
  const create = useCreateUser();
  const update = useUpdateUser();
  const [error, setError] = useState<ApiError | null>(null);

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setError(null);
    try {
      await create.mutateAsync({
        email: form.get("email"),
        displayName: form.get("displayName"),
        password: form.get("password"),
        role: form.get("role"),
      });
      formEl.reset();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, "network", "Could not reach DAXboard."));
    }
  }

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section className="lg:col-span-2" aria-labelledby="users-h">
        <h2 id="users-h" className="mb-2 text-lg font-semibold">
          Users
        </h2>
        {users.error ? <Alert>{users.error.message}</Alert> : null}
        {update.error ? <Alert>{update.error.message}</Alert> : null}
        <table className="w-full rounded-lg border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
          <thead className="bg-slate-100 text-left text-xs uppercase dark:bg-slate-800">
            <tr>
              <th className="px-3 py-2">Email</th>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Role</th>
              <th className="px-3 py-2">Status</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100 dark:border-slate-800">
                <td className="px-3 py-2">{u.email}</td>
                <td className="px-3 py-2">{u.displayName}</td>
                <td className="px-3 py-2">
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    onChange={(e) => update.mutate({ id: u.id, role: e.target.value })}
                    className={inputClass}
                  >
                    <option value="viewer">viewer</option>
                    <option value="operator">operator</option>
                    <option value="admin">admin</option>
                  </select>
                </td>
                <td className="px-3 py-2">
                  <Button variant="secondary" onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}>
                    {u.disabled ? "Enable" : "Disable"}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="new-user-h">
        <h2 id="new-user-h" className="mb-2 text-lg font-semibold">
          Add a user
        </h2>
        <form onSubmit={onCreate} className="space-y-3" noValidate>
          {error && !error.field ? <Alert>{error.message}</Alert> : null}
          <Field label="Email" htmlFor="u-email" error={error?.field === "email" ? error.message : undefined}>
            <TextInput id="u-email" name="email" type="email" />
          </Field>
          <Field
            label="Display name"
            htmlFor="u-name"
            error={error?.field === "displayName" ? error.message : undefined}
          >
            <TextInput id="u-name" name="displayName" />
          </Field>
          <Field
            label="Initial password"
            htmlFor="u-password"
            error={error?.field === "password" ? error.message : undefined}
            hint="At least 12 characters."
          >
            <TextInput id="u-password" name="password" type="password" autoComplete="new-password" />
          </Field>
          <Field label="Role" htmlFor="u-role">
            <select id="u-role" name="role" defaultValue="viewer" className={inputClass}>
              <option value="viewer">viewer — read only</option>
              <option value="operator">operator — hosts and scans</option>
              <option value="admin">admin — everything</option>
            </select>
          </Field>
          <Button type="submit" disabled={create.isPending}>
            Add user
          </Button>
        </form>
      </section>
    </div>
  );
}
