"use client";

import Link from "next/link";
import { useState, type ChangeEvent } from "react";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field, TextArea, TextInput } from "../ui/field";
import { authDraftError, BatchAuthFields, toImportAuth, type AuthDraft } from "./batch-auth-fields";
import { ImportPreviewTable } from "./import-preview-table";
import { detectFormat, useImportHosts, useImportPreview, type ImportFormat } from "./import-queries";

const FORMATS: Array<{ value: ImportFormat; label: string; example: string }> = [
  { value: "csv", label: "CSV", example: "name,address,port,user,tags\naltra-01,10.0.3.7,22,daxboard,rack3 altra" },
  {
    value: "ansible-ini",
    label: "Ansible INI",
    example: "[rack3]\naltra-01 ansible_host=10.0.3.7 ansible_user=daxboard",
  },
  {
    value: "ansible-yaml",
    label: "Ansible YAML",
    example: "all:\n  children:\n    rack3:\n      hosts:\n        altra-01:\n          ansible_host: 10.0.3.7",
  },
];

// Bulk import: paste or upload, preview every row (valid or invalid, with its reason), then confirm.
// Nothing is written until "Import"; re-importing updates hosts by name instead of duplicating them.
export function ImportHosts() {
  const [format, setFormat] = useState<ImportFormat>("csv");
  const [text, setText] = useState("");
  const [username, setUsername] = useState("");
  const [port, setPort] = useState("");
  const [auth, setAuth] = useState<AuthDraft>({ type: "key", privateKey: "", passphrase: "", password: "" });
  const [previewedText, setPreviewedText] = useState<string | null>(null);
  const [authError, setAuthError] = useState<string | null>(null);
  const preview = useImportPreview();
  const commit = useImportHosts();

  const defaults = {
    ...(username.trim() ? { username: username.trim() } : {}),
    ...(port ? { port: Number(port) } : {}),
  };
  const request = { format, text, defaults };
  const current = previewedText === JSON.stringify(request) && preview.data ? preview.data : null;

  async function onFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (!file) return;
    const body = await file.text();
    setText(body);
    setFormat(detectFormat(file.name, body));
  }
  function runPreview() {
    commit.reset();
    setPreviewedText(JSON.stringify(request));
    preview.mutate(request);
  }
  function runImport() {
    const problem = authDraftError(auth);
    setAuthError(problem);
    if (!problem) commit.mutate({ ...request, auth: toImportAuth(auth) });
  }

  const example = FORMATS.find((f) => f.value === format)?.example;
  return (
    <div className="max-w-5xl space-y-5">
      <fieldset>
        <legend className="mb-1 text-sm font-medium">Format</legend>
        <div className="flex flex-wrap gap-4 text-sm" role="radiogroup" aria-label="Format">
          {FORMATS.map((f) => (
            <label key={f.value} className="inline-flex items-center gap-1.5">
              <input
                type="radio"
                name="format"
                value={f.value}
                checked={format === f.value}
                onChange={() => setFormat(f.value)}
              />
              {f.label}
            </label>
          ))}
        </div>
      </fieldset>
      <Field
        label="Inventory"
        htmlFor="inventory"
        hint={
          <>
            CSV columns: name, address, port, user, tags. Ansible: hosts, groups become tags, ansible_host /
            ansible_port / ansible_user.
          </>
        }
      >
        <TextArea
          id="inventory"
          rows={10}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={example}
        />
      </Field>
      <input
        type="file"
        aria-label="Upload inventory file"
        accept=".csv,.ini,.yml,.yaml,.txt,.cfg"
        onChange={onFile}
        className="text-sm"
      />
      <div className="grid max-w-md gap-4 sm:grid-cols-2">
        <Field label="Default SSH user" htmlFor="defaultUser" hint="For rows that name none.">
          <TextInput
            id="defaultUser"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            placeholder="daxboard"
          />
        </Field>
        <Field label="Default port" htmlFor="defaultPort">
          <TextInput
            id="defaultPort"
            type="number"
            min={1}
            max={65535}
            value={port}
            onChange={(e) => setPort(e.target.value)}
            placeholder="22"
          />
        </Field>
      </div>
      <Button onClick={runPreview} disabled={!text.trim() || preview.isPending}>
        {preview.isPending ? "Reading…" : "Preview"}
      </Button>
      {preview.error ? <Alert>{preview.error.message}</Alert> : null}
      {current ? (
        <>
          <ImportPreviewTable preview={current} />
          <BatchAuthFields draft={auth} onChange={setAuth} />
          {authError ? <Alert>{authError}</Alert> : null}
          {commit.data ? (
            <Alert tone="success">
              Imported: {commit.data.created} created, {commit.data.updated} updated,{" "}
              {Array.isArray(commit.data.invalid) ? commit.data.invalid.length : commit.data.invalid} invalid rows
              skipped.{" "}
              <Link href="/" className="underline">
                Open the fleet
              </Link>
            </Alert>
          ) : (
            <Button onClick={runImport} disabled={current.counts.valid === 0 || commit.isPending}>
              {commit.isPending
                ? "Importing…"
                : `Import ${current.counts.valid} valid host${current.counts.valid === 1 ? "" : "s"}`}
            </Button>
          )}
          {commit.error ? <Alert>{commit.error.message}</Alert> : null}
        </>
      ) : preview.data ? (
        <p className="text-sm text-slate-500">
          The document changed since the preview: preview again before importing.
        </p>
      ) : null}
    </div>
  );
}
