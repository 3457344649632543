import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { hasAnyUser, setupCodeReady } from "@/lib/users/first-admin";

export const dynamic = "force-dynamic";

// One-time setup: reachable only while no user exists, and only with the code from the server console.
export default async function SetupPage() {
  if (await hasAnyUser()) redirect("/login");
  setupCodeReady();
  return (
    <AuthCard
      title="Set up DAXboard"
      subtitle="No users exist yet. Enter the one-time setup code from the server console and create the first admin account."
    >
      <SetupForm />
    </AuthCard>
  );
}
