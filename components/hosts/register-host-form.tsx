"use client";

import { useRouter } from "next/navigation";
import { useState, type ChangeEvent, type FormEvent } from "react";
import { ApiError } from "@/lib/client/api";
import { useRegisterHost } from "./host-queries";
import { Button } from "../ui/button";
import { Field, TextArea, TextInput } from "../ui/field";
import { Alert } from "../ui/alert";
import { ConnectionTest } from "./connection-test";

type AuthType = "key" | "password" | "agent";

// Client-side checks mirror the server's so most mistakes show before submit; the server stays the authority.
function localErrors(form: FormData, authType: AuthType): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!String(form.get("name") ?? "").trim()) errors.name = "name is required";
  const address = String(form.get("address") ?? "").trim();
  if (!address) errors.address = "address is required";
  else if (/[\s;&|`$<>()\\'"*?!{}#~^]/.test(address))
    errors.address = "must be a DNS name, IPv4 or IPv6 address (shell metacharacters are not allowed)";
  const port = Number(form.get("port") || 22);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors.port = "port must be between 1 and 65535";
  if (!String(form.get("username") ?? "").trim()) errors.username = "username is required";
  if (authType === "key" && !String(form.get("privateKey") ?? "").trim())
    errors["auth.privateKey"] = "paste or upload a private key";
  if (authType === "password" && !String(form.get("password") ?? "")) errors["auth.password"] = "password is required";
  return errors;
}

export function RegisterHostForm() {
  const router = useRouter();
  const register = useRegisterHost();
  const [authType, setAuthType] = useState<AuthType>("key");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [keyText, setKeyText] = useState("");
  const [useJump, setUseJump] = useState(false);
  const [jumpAuthType, setJumpAuthType] = useState<AuthType>("key");
  const [tested, setTested] = useState<{ id: string; name: string } | null>(null);

  async function onKeyFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) setKeyText(await file.text());
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    // "Register and test connection" stays on the page and follows the first scan; "Register host" opens the host.
    const testAfter = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("name") === "test";
    const form = new FormData(e.currentTarget);
    const local = localErrors(form, authType);
    if (useJump && jumpAuthType === "key" && !String(form.get("jumpPrivateKey") ?? "").trim())
      local["jumpHost.auth.privateKey"] = "paste the jump host's private key";
    if (useJump && jumpAuthType === "password" && !String(form.get("jumpPassword") ?? ""))
      local["jumpHost.auth.password"] = "the jump host's password is required";
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length > 0) return;
    const get = (k: string) => String(form.get(k) ?? "").trim();
    const auth =
      authType === "key"
        ? {
            type: "key",
            privateKey: keyText,
            ...(get("passphrase") ? { passphrase: String(form.get("passphrase")) } : {}),
          }
        : authType === "password"
          ? { type: "password", password: String(form.get("password")) }
          : { type: "agent" };
    // The jump host gets a credential of its own: DAXboard never sends the target's secret to a bastion.
    const jumpAuth =
      jumpAuthType === "key"
        ? {
            type: "key",
            privateKey: String(form.get("jumpPrivateKey") ?? ""),
            ...(get("jumpPassphrase") ? { passphrase: String(form.get("jumpPassphrase")) } : {}),
          }
        : jumpAuthType === "password"
          ? { type: "password", password: String(form.get("jumpPassword")) }
          : { type: "agent" };
    const body = {
      name: get("name"),
      address: get("address"),
      port: Number(get("port") || 22),
      username: get("username"),
      auth,
      tags: get("tags")
        .split(/[\s,]+/)
        .filter(Boolean),
      ...(get("hostKeyFingerprint") ? { hostKeyFingerprint: get("hostKeyFingerprint") } : {}),
      ...(useJump && get("jumpAddress")
        ? {
            jumpHost: {
              address: get("jumpAddress"),
              port: Number(get("jumpPort") || 22),
              username: get("jumpUsername"),
              auth: jumpAuth,
            },
          }
        : {}),
      ...(get("notes") ? { notes: get("notes") } : {}),
    };
    try {
      const { host } = await register.mutateAsync(body);
      if (testAfter) setTested({ id: host.id, name: host.name });
      else router.push(`/hosts/${host.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.field) setErrors({ [err.field]: err.message.replace(/^[\w.]+: /, "") });
      else setFormError(err instanceof Error ? err.message : "Registration failed.");
    }
  }

  const err = (k: string) => errors[k];
  if (tested) {
    return (
      <div className="space-y-3">
        <ConnectionTest hostId={tested.id} hostName={tested.name} />
        <Button variant="secondary" onClick={() => setTested(null)}>
          Register another host
        </Button>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="max-w-2xl space-y-5" aria-label="Register host">
      {formError ? <Alert>{formError}</Alert> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="name" error={err("name")}>
          <TextInput id="name" name="name" placeholder="altra-rack3-07" invalid={Boolean(err("name"))} autoFocus />
        </Field>
        <Field
          label="SSH user"
          htmlFor="username"
          error={err("username")}
          hint="An unprivileged user; the probe is read-only."
        >
          <TextInput id="username" name="username" placeholder="daxboard" invalid={Boolean(err("username"))} />
        </Field>
        <Field label="Address" htmlFor="address" error={err("address")} hint="DNS name, IPv4 or IPv6.">
          <TextInput id="address" name="address" placeholder="10.0.3.7" invalid={Boolean(err("address"))} />
        </Field>
        <Field label="Port" htmlFor="port" error={err("port")}>
          <TextInput
            id="port"
            name="port"
            type="number"
            defaultValue={22}
            min={1}
            max={65535}
            invalid={Boolean(err("port"))}
          />
        </Field>
      </div>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium">Authentication</legend>
        <div className="flex gap-4 text-sm" role="radiogroup">
          {(["key", "password", "agent"] as const).map((t) => (
            <label key={t} className="inline-flex items-center gap-1.5">
              <input type="radio" name="authType" value={t} checked={authType === t} onChange={() => setAuthType(t)} />
              {t === "key" ? "SSH key" : t === "password" ? "Password" : "SSH agent"}
            </label>
          ))}
        </div>
        {authType === "key" ? (
          <>
            <Field
              label="Private key"
              htmlFor="privateKey"
              error={err("auth.privateKey")}
              hint="Paste it or upload the file. It is encrypted at rest and never shown again."
            >
              <TextArea
                id="privateKey"
                name="privateKey"
                rows={5}
                value={keyText}
                onChange={(e) => setKeyText(e.target.value)}
                placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                invalid={Boolean(err("auth.privateKey"))}
              />
            </Field>
            <input type="file" aria-label="Upload private key file" onChange={onKeyFile} className="text-sm" />
            <Field label="Passphrase (if the key has one)" htmlFor="passphrase" error={err("auth.passphrase")}>
              <TextInput
                id="passphrase"
                name="passphrase"
                type="password"
                autoComplete="off"
                invalid={Boolean(err("auth.passphrase"))}
              />
            </Field>
          </>
        ) : authType === "password" ? (
          <Field label="Password" htmlFor="password" error={err("auth.password")}>
            <TextInput
              id="password"
              name="password"
              type="password"
              autoComplete="off"
              invalid={Boolean(err("auth.password"))}
            />
          </Field>
        ) : (
          <p className="text-sm text-slate-500">DAXboard uses the agent at SSH_AUTH_SOCK of the worker process.</p>
        )}
      </fieldset>

      <Field
        label="Host key fingerprint (optional)"
        htmlFor="hostKeyFingerprint"
        error={err("hostKeyFingerprint")}
        hint="SHA256:… from ssh-keygen -lf. Without it, the first scan pins the key it sees."
      >
        <TextInput
          id="hostKeyFingerprint"
          name="hostKeyFingerprint"
          placeholder="SHA256:…"
          invalid={Boolean(err("hostKeyFingerprint"))}
        />
      </Field>
      <Field
        label="Tags"
        htmlFor="tags"
        error={Object.entries(errors).find(([k]) => k.startsWith("tags"))?.[1]}
        hint="Separated by spaces or commas, e.g. rack3 altra prod."
      >
        <TextInput id="tags" name="tags" placeholder="rack3 prod" />
      </Field>

      <fieldset className="space-y-3">
        <label className="inline-flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={useJump} onChange={(e) => setUseJump(e.target.checked)} /> Connect through a
          jump host (bastion)
        </label>
        {useJump ? (
          <div className="grid gap-4 sm:grid-cols-3">
            <Field label="Jump address" htmlFor="jumpAddress" error={err("jumpHost.address")}>
              <TextInput id="jumpAddress" name="jumpAddress" invalid={Boolean(err("jumpHost.address"))} />
            </Field>
            <Field label="Jump port" htmlFor="jumpPort" error={err("jumpHost.port")}>
              <TextInput id="jumpPort" name="jumpPort" type="number" defaultValue={22} />
            </Field>
            <Field label="Jump user" htmlFor="jumpUsername" error={err("jumpHost.username")}>
              <TextInput id="jumpUsername" name="jumpUsername" />
            </Field>
            <fieldset className="space-y-2 sm:col-span-3">
              <legend className="text-sm font-medium">
                Jump host login (its own; the target&apos;s secret never goes to the bastion)
              </legend>
              <div className="flex gap-4 text-sm">
                {(["key", "password", "agent"] as const).map((t) => (
                  <label key={t} className="inline-flex items-center gap-1">
                    <input
                      type="radio"
                      name="jumpAuthType"
                      value={t}
                      checked={jumpAuthType === t}
                      onChange={() => setJumpAuthType(t)}
                    />
                    {t === "key" ? "Private key" : t === "password" ? "Password" : "SSH agent"}
                  </label>
                ))}
              </div>
              {jumpAuthType === "key" ? (
                <div className="grid gap-2 sm:grid-cols-2">
                  <Field label="Jump host private key" htmlFor="jumpPrivateKey" error={err("jumpHost.auth.privateKey")}>
                    <TextArea
                      id="jumpPrivateKey"
                      name="jumpPrivateKey"
                      rows={3}
                      placeholder="-----BEGIN OPENSSH PRIVATE KEY-----"
                      invalid={Boolean(err("jumpHost.auth.privateKey"))}
                    />
                  </Field>
                  <Field
                    label="Its passphrase (if any)"
                    htmlFor="jumpPassphrase"
                    error={err("jumpHost.auth.passphrase")}
                  >
                    <TextInput id="jumpPassphrase" name="jumpPassphrase" type="password" autoComplete="off" />
                  </Field>
                </div>
              ) : jumpAuthType === "password" ? (
                <Field label="Jump host password" htmlFor="jumpPassword" error={err("jumpHost.auth.password")}>
                  <TextInput
                    id="jumpPassword"
                    name="jumpPassword"
                    type="password"
                    autoComplete="off"
                    invalid={Boolean(err("jumpHost.auth.password"))}
                  />
                </Field>
              ) : null}
            </fieldset>
          </div>
        ) : null}
      </fieldset>

      <Field label="Notes" htmlFor="notes">
        <TextArea id="notes" name="notes" rows={2} />
      </Field>
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={register.isPending}>
          {register.isPending ? "Registering…" : "Register host"}
        </Button>
        <Button type="submit" name="test" variant="secondary" disabled={register.isPending}>
          Register and test connection
        </Button>
      </div>
    </form>
  );
}
