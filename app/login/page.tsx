import { Suspense } from "react";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { LoginForm } from "@/components/auth/login-form";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { Alert } from "@/components/ui/alert";
import { config } from "@/lib/config";
import { oidcSettings } from "@/lib/oidc/settings";
import { ssoErrorMessage } from "@/lib/oidc/sso-errors";
import { hasAnyUser } from "@/lib/users/first-admin";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

// Single sign-on (when DAXBOARD_OIDC_ISSUER is set) above the password form (unless DAXBOARD_LOCAL_LOGIN=off).
export default async function LoginPage({ searchParams }: { searchParams: Search }) {
  if (!(await hasAnyUser())) redirect("/setup");
  const search = await searchParams;
  const sso = oidcSettings();
  const local = config.localLogin();
  const ssoError = ssoErrorMessage(one(search.sso_error));
  return (
    <AuthCard title="Sign in" subtitle="virtio-fs DAX readiness for your arm64 fleet.">
      <div className="space-y-5">
        {sso ? <SsoSignIn name={sso.name} next={one(search.next)} error={ssoError} /> : null}
        {!sso && ssoError ? <Alert>{ssoError}</Alert> : null}
        {sso && local ? <p className="text-center text-xs text-slate-500 dark:text-slate-400">or</p> : null}
        {local ? (
          <Suspense>
            <LoginForm />
          </Suspense>
        ) : null}
        {!sso && !local ? (
          <Alert>
            Password sign-in is turned off (DAXBOARD_LOCAL_LOGIN=off) and single sign-on is not configured; an admin
            must set DAXBOARD_OIDC_ISSUER or turn password sign-in back on.
          </Alert>
        ) : null}
      </div>
    </AuthCard>
  );
}
