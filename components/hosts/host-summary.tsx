import type { HostDto } from "@/lib/hosts/host-dto";
import { formatUtc } from "@/lib/client/format";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-3 gap-2 border-t border-slate-100 py-2 first:border-t-0 dark:border-slate-800">
      <dt className="text-sm text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="col-span-2 text-sm break-all">{children}</dd>
    </div>
  );
}

// What DAXboard stores about a host's connection; never any secret (HostDto has no secret fields).
export function HostSummary({ host }: { host: HostDto }) {
  const jump = host.jumpHost;
  return (
    <dl>
      <Row label="SSH">
        <span className="font-mono">
          {host.username}@{host.address}:{host.port}
        </span>
      </Row>
      <Row label="Authentication">
        {host.authMethod === "agent"
          ? "SSH agent"
          : host.authMethod === "key"
            ? "private key (encrypted at rest)"
            : "password (encrypted at rest)"}
      </Row>
      <Row label="Jump host">
        {jump ? ("name" in jump ? jump.name : `${jump.username}@${jump.address}:${jump.port}`) : "none"}
      </Row>
      <Row label="Host key">
        {host.hostKeyFingerprint ? (
          <span>
            <span className="font-mono" data-testid="pinned-fingerprint">
              {host.hostKeyFingerprint}
            </span>
            {host.hostKeyAlgorithm ? ` (${host.hostKeyAlgorithm})` : ""}
            <span className="block text-xs text-slate-500">
              pinned {formatUtc(host.hostKeyPinnedAt)} by {host.hostKeyPinnedBy}
            </span>
          </span>
        ) : (
          "not pinned yet: the first scan pins the key it sees"
        )}
      </Row>
      <Row label="Tags">{host.tags.length ? host.tags.join(", ") : "none"}</Row>
      <Row label="Last scan">
        {host.lastScanAt ? `${formatUtc(host.lastScanAt)} (${host.lastScanStatus})` : "never scanned"}
      </Row>
      {host.notes ? <Row label="Notes">{host.notes}</Row> : null}
    </dl>
  );
}
