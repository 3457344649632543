import { UsersAdmin } from "@/components/admin/users-admin";
import { requirePageActor } from "@/lib/auth/page-actor";

export default async function UsersPage() {
  await requirePageActor("admin");
  return <UsersAdmin />;
}
