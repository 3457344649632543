import { Suspense } from "react";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { hasAnyUser } from "@/lib/users/first-admin";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (!(await hasAnyUser())) redirect("/setup");
  return (
    <AuthCard title="Sign in" subtitle="virtio-fs DAX readiness for your arm64 fleet.">
      <Suspense>
        <LoginForm />
      </Suspense>
    </AuthCard>
  );
}
