import { apiRoute } from "@/lib/api/route";
import { importHosts } from "@/lib/hosts/import/import-hosts";
import { importHostsSchema } from "@/lib/hosts/import/import-types";

// POST /api/hosts/import — import the valid rows of a CSV or Ansible inventory in one transaction (operator)
export const POST = apiRoute({ role: "operator", body: importHostsSchema }, async ({ actor, body }) =>
  importHosts(actor, body),
);
