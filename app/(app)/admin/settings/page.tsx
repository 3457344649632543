import Link from "next/link";
import { GuestProfiles } from "@/components/settings/guest-profiles";
import { HistoryRetention } from "@/components/settings/history-retention";
import { NetworkPolicyForm } from "@/components/settings/network-policy-form";
import { ScanSettingsForm } from "@/components/settings/scan-settings-form";
import { Card } from "@/components/ui/card";
import { requirePageActor } from "@/lib/auth/page-actor";

// Viewers read the guest profiles their hosts are judged against; the rest of the page is for admins.
export default async function SettingsPage() {
  const actor = await requirePageActor("viewer");
  const isAdmin = actor.role === "admin";
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      <Card id="guest-profile-heading" title="Guest profiles">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          The microVM guests hosts are judged for: each sets the guest checks, the virtio-pmem and KSM checks and the
          recommended cache_size. A host takes the first profile, in this order, that shares one of its tags, else the
          default. A change re-assesses the hosts it covers from stored facts, in the background, without rescanning.
        </p>
        <GuestProfiles canEdit={isAdmin} />
      </Card>
      {isAdmin ? <AdminSettings /> : null}
    </div>
  );
}

function AdminSettings() {
  return (
    <>
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
      <Card id="history-heading" title="Scan history">
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
          Per host, DAXboard keeps every scan that changed something (drift), the last scans and every scan younger than
          the age below, plus the host&apos;s current and last scan; an hourly job deletes the rest. Freed space is
          reused by new scans, so the database stops growing rather than shrinks.
        </p>
        <HistoryRetention />
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
    </>
  );
}
