import { apiRoute } from "@/lib/api/route";
import { importPreviewSchema } from "@/lib/hosts/import/import-types";
import { planImport } from "@/lib/hosts/import/plan-import";

// POST /api/hosts/import/preview — every row of the document, valid or not with its reason, and create/update; writes nothing
export const POST = apiRoute({ role: "operator", body: importPreviewSchema }, async ({ body }) => {
  const { rows, counts } = await planImport(body);
  return { rows, counts };
});
