import { RegisterHostForm } from "@/components/hosts/register-host-form";
import { requirePageActor } from "@/lib/auth/page-actor";

export default async function NewHostPage() {
  await requirePageActor("operator");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Register a host</h1>
      <RegisterHostForm />
    </div>
  );
}
