"use client";

import { useState, type FormEvent } from "react";
import { useCreateToken, useRevokeToken, useTokens, type TokenRow } from "./admin-queries";
import { Button } from "../ui/button";
import { Field, TextInput, inputClass } from "../ui/field";
import { Alert } from "../ui/alert";

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");

function status(t: TokenRow, now: number): string | null {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && Date.parse(t.expiresAt) <= now) return "expired";
  return null;
}

export function TokensAdmin() {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  const [now] = useState(() => Date.now());
  // A metrics-only token (a Prometheus scrape credential) has no use for a role: it reads GET /api/metrics only.
  const [metricsOnly, setMetricsOnly] = useState(false);

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const days = String(form.get("expiresInDays") ?? "").trim();
    const result = await create
      .mutateAsync({
        name: String(form.get("name")),
        ...(metricsOnly ? { role: "viewer", scope: "metrics" as const } : { role: String(form.get("role")) }),
        ...(days ? { expiresInDays: Number(days) } : {}),
      })
      .catch(() => null);
    if (result) {
      setIssued({ name: result.name, token: result.token });
      formEl.reset();
      setMetricsOnly(false);
    }
  }

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section className="lg:col-span-2" aria-labelledby="tokens-h">
        <h2 id="tokens-h" className="mb-2 text-lg font-semibold">
          API tokens
        </h2>
        {issued ? (
          <Alert tone="success">
            Token <strong>{issued.name}</strong> — copy it now, it is not shown again:
            <code
              data-testid="new-token"
              className="mt-1 block rounded bg-white/60 p-1 font-mono text-xs break-all dark:bg-black/30"
            >
              {issued.token}
            </code>
          </Alert>
        ) : null}
        {tokens.data && tokens.data.tokens.length === 0 ? (
          <p className="text-sm text-slate-500">
            No tokens yet. Automation authenticates with “Authorization: Bearer &lt;token&gt;”.
          </p>
        ) : (
          <table className="mt-2 w-full rounded-lg border border-slate-200 bg-white text-sm dark:border-slate-800 dark:bg-slate-900">
            <thead className="bg-slate-100 text-left text-xs uppercase dark:bg-slate-800">
              <tr>
                <th className="px-3 py-2">Name</th>
                <th className="px-3 py-2">Prefix</th>
                <th className="px-3 py-2">Access</th>
                <th className="px-3 py-2">Last used</th>
                <th className="px-3 py-2">Expires</th>
                <th className="px-3 py-2">Issued by</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody>
              {tokens.data?.tokens.map((t) => (
                <tr key={t.id} className="border-t border-slate-100 dark:border-slate-800">
                  <td className="px-3 py-2">{t.name}</td>
                  <td className="px-3 py-2 font-mono text-xs">{t.prefix}…</td>
                  <td className="px-3 py-2">{t.scope === "metrics" ? "metrics only" : t.role}</td>
                  <td className="px-3 py-2 text-slate-500">{t.lastUsedAt ? when(t.lastUsedAt) : "never"}</td>
                  <td className="px-3 py-2 text-slate-500">{t.expiresAt ? when(t.expiresAt) : "never"}</td>
                  <td className="px-3 py-2 text-slate-500">{t.createdBy?.email ?? "command line"}</td>
                  <td className="px-3 py-2 text-right">
                    {status(t, now) ? (
                      <span className="text-xs text-slate-500">{status(t, now)}</span>
                    ) : (
                      <Button variant="danger" onClick={() => revoke.mutate(t.id)} aria-label={`Revoke ${t.name}`}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="new-token-h">
        <h2 id="new-token-h" className="mb-2 text-lg font-semibold">
          Issue a token
        </h2>
        <form onSubmit={onCreate} className="space-y-3">
          {create.error ? <Alert>{create.error.message}</Alert> : null}
          <Field label="Name" htmlFor="t-name">
            <TextInput id="t-name" name="name" required placeholder="ci-scanner" />
          </Field>
          <Field
            label="Access"
            htmlFor="t-access"
            hint={
              metricsOnly
                ? "Reads GET /api/metrics and nothing else: the credential for a Prometheus scrape job."
                : "The whole API, with the role below."
            }
          >
            <select
              id="t-access"
              name="access"
              value={metricsOnly ? "metrics" : "api"}
              onChange={(e) => setMetricsOnly(e.target.value === "metrics")}
              className={inputClass}
            >
              <option value="api">Full API</option>
              <option value="metrics">Metrics only (Prometheus)</option>
            </select>
          </Field>
          <Field label="Role" htmlFor="t-role">
            <select id="t-role" name="role" defaultValue="operator" disabled={metricsOnly} className={inputClass}>
              <option value="viewer">viewer</option>
              <option value="operator">operator</option>
              <option value="admin">admin</option>
            </select>
          </Field>
          <Field label="Expires after (days)" htmlFor="t-expires" hint="Leave empty for a token that does not expire.">
            <TextInput id="t-expires" name="expiresInDays" type="number" min={1} max={3650} step={1} placeholder="90" />
          </Field>
          <p className="text-xs text-slate-500">
            A token stops working if the admin who issued it is disabled or loses its role.
          </p>
          <Button type="submit" disabled={create.isPending}>
            Issue token
          </Button>
        </form>
      </section>
    </div>
  );
}
