import Link from "next/link";
import { GuestProfileForm } from "@/components/settings/guest-profile-form";
import { NetworkPolicyForm } from "@/components/settings/network-policy-form";
import { ScanSettingsForm } from "@/components/settings/scan-settings-form";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page-actor";

export default async function SettingsPage() {
  await requirePageActor("admin");
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Card id="guest-profile-heading" title="Guest profile">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          The microVM guest every host is judged for: it sets the guest checks and the recommended cache_size. Changing
          it re-assesses the fleet from stored facts, without rescanning.
        </p>
        <GuestProfileForm canEdit />
      </Card>
      <Card id="scan-settings-heading" title="Scanning">
        <ScanSettingsForm />
      </Card>
      <Card id="network-policy-heading" title="Scan network policy">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          Which addresses scans may connect to, checked after DNS resolution on every connection (jump hosts and the
          targets behind them included). Keep DAXboard off your database and cloud metadata ranges, e.g. deny{" "}
          <code className="font-mono text-xs">169.254.0.0/16</code>.
        </p>
        <NetworkPolicyForm />
      </Card>
      <Card id="access-heading" title="Access">
        <ul className="list-disc space-y-1 pl-5 text-sm">
          <li>
            <Link href="/admin/users" className="text-sky-700 hover:underline dark:text-sky-400">
              Users and roles
            </Link>
          </li>
          <li>
            <Link href="/admin/tokens" className="text-sky-700 hover:underline dark:text-sky-400">
              API tokens
            </Link>
          </li>
          <li>
            <Link href="/admin/audit" className="text-sky-700 hover:underline dark:text-sky-400">
              Audit log
            </Link>
          </li>
        </ul>
      </Card>
    </div>
  );
}
