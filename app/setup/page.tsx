import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { hasAnyUser } from "@/lib/users/first-admin";

export const dynamic = "force-dynamic";

// One-time setup: reachable only while no user exists.
export default async function SetupPage() {
  if (await hasAnyUser()) redirect("/login");
  return (
    <AuthCard title="Set up DAXboard" subtitle="No users exist yet. Create the first admin account.">
      <SetupForm />
    </AuthCard>
  );
}
