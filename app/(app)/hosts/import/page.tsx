import { ImportHosts } from "@/components/import/import-hosts";
import { requirePageActor } from "@/lib/auth/page-actor";

export default async function ImportHostsPage() {
  await requirePageActor("operator");
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Import hosts</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          From a CSV file or an Ansible inventory (INI or YAML). You see every row before anything is imported.
        </p>
      </div>
      <ImportHosts />
    </div>
  );
}
