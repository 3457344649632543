import { TokensAdmin } from "@/components/admin/tokens-admin";
import { requirePageActor } from "@/lib/auth/page-actor";

export default async function TokensPage() {
  await requirePageActor("admin");
  return <TokensAdmin />;
}
