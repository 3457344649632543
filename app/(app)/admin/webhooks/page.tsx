import { WebhooksAdmin } from "@/components/webhooks/webhooks-admin";
import { requirePageActor } from "@/lib/auth/page-actor";

export default async function WebhooksPage() {
  await requirePageActor("admin");
  return <WebhooksAdmin />;
}
