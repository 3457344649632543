import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { requirePageActor } from "@/lib/auth/page-actor";

// Your account: change your own password (which logs out your other sessions).
export default async function AccountPage() {
  const actor = await requirePageActor();
  return (
    <section aria-labelledby="account-h" className="space-y-4">
      <h1 id="account-h" className="text-xl font-semibold">
        Your account
      </h1>
      <p className="text-sm text-slate-500 dark:text-slate-400">Signed in as {actor.label}.</p>
      <h2 className="text-lg font-semibold">Change password</h2>
      <ChangePasswordForm />
    </section>
  );
}
