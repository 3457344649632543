"use client";

import type { FormEvent } from "react";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { AUDIT_FILTER_KEYS, type AuditFilters } from "./audit-queries";

// Times are entered and shown in UTC, like the table, so a range means the same on every admin's machine.
export const toUtcInput = (iso: string | undefined) => {
  const date = iso ? new Date(iso) : null;
  return date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(0, 16) : "";
};
const fromUtcInput = (value: string) => (value ? new Date(`${value}:00Z`).toISOString() : undefined);

const labelClass = "text-xs font-medium text-slate-600 dark:text-slate-400";

type FilterProps = { id: string; name: string; label: string; value: string | undefined };

// One labelled input of the filter form: free text, or a UTC date-time.
function FilterInput({
  id,
  name,
  label,
  value,
  placeholder,
  time,
}: FilterProps & { placeholder?: string; time?: boolean }) {
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <input
        id={id}
        name={name}
        type={time ? "datetime-local" : "text"}
        defaultValue={time ? toUtcInput(value) : (value ?? "")}
        placeholder={placeholder}
        className={`${inputClass} ${time ? "w-52" : "w-44"}`}
      />
    </div>
  );
}

const TextFilter = (props: FilterProps & { placeholder: string }) => <FilterInput {...props} />;
const TimeFilter = (props: FilterProps) => <FilterInput {...props} time />;

// The filter form; Enter or "Apply" writes it to the URL. Re-keyed on the URL, so back/forward refills it.
export function AuditFilterForm({
  filters,
  onApply,
}: {
  filters: AuditFilters;
  onApply: (next: AuditFilters) => void;
}) {
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const text = (k: string) => String(form.get(k) ?? "").trim() || undefined;
    onApply({
      actor: text("actor"),
      action: text("action"),
      host: text("host"),
      from: fromUtcInput(String(form.get("from") ?? "")),
      to: fromUtcInput(String(form.get("to") ?? "")),
    });
  }
  const active = AUDIT_FILTER_KEYS.some((k) => filters[k]);
  return (
    <form
      key={JSON.stringify(filters)}
      role="search"
      aria-label="Filter audit events"
      onSubmit={submit}
      className="flex flex-wrap items-end gap-2"
    >
      <TextFilter id="audit-actor" name="actor" label="Actor" placeholder="email, token or id" value={filters.actor} />
      <TextFilter
        id="audit-action"
        name="action"
        label="Action"
        placeholder="host. or user.login"
        value={filters.action}
      />
      <TextFilter id="audit-host" name="host" label="Host" placeholder="name or id" value={filters.host} />
      <TimeFilter id="audit-from" name="from" label="From (UTC)" value={filters.from} />
      <TimeFilter id="audit-to" name="to" label="To (UTC)" value={filters.to} />
      <Button type="submit">Apply</Button>
      {active ? (
        <Button type="button" variant="ghost" onClick={() => onApply({})}>
          Clear filters
        </Button>
      ) : null}
    </form>
  );
}
