import type { AssessmentView } from "@/lib/client/dto";
import { formatBytes, formatPageSize } from "@/lib/client/format";

type Facts = AssessmentView["facts"];

const unknown = (why?: string) => (
  <span className="text-slate-400 italic" title={why}>
    unknown{why ? ` — ${why}` : ""}
  </span>
);

const yesNo = (v: boolean | null | undefined, yes: string, no: string) =>
  v === null || v === undefined ? null : v ? yes : no;

function kvmText(kvm: Facts["kvm"]): string | null {
  if (!kvm) return null;
  if (!kvm.present) return "/dev/kvm missing";
  const access =
    kvm.readable && kvm.writable
      ? "read/write for the scan user"
      : kvm.readable === null
        ? "access not checked"
        : "present, not writable by the scan user";
  return `/dev/kvm present, ${access}`;
}

// What the probe found, in the order an engineer asks: CPU, product, memory, OS, kernel, then the KVM platform.
export function FactsTable({ facts }: { facts: Facts }) {
  const why = (name: string) => facts.unknown[name];
  const rows: Array<[string, React.ReactNode, string]> = [
    [
      "CPU cores",
      facts.cpus.length ? (
        <ul>
          {facts.cpus.map((c, i) => (
            <li key={i}>
              {c.count !== null ? `${c.count} × ` : ""}
              {c.core ?? `implementer ${c.implementer}${c.part ? ` part ${c.part}` : ""}`}
            </li>
          ))}
        </ul>
      ) : null,
      "cpus",
    ],
    ["CPU count", facts.cpuCount, "cpuCount"],
    [
      "Product",
      facts.product ? (
        <>
          {facts.product}
          {facts.productCandidates.length > 1 ? (
            <span className="block text-xs text-slate-500">candidates: {facts.productCandidates.join(", ")}</span>
          ) : null}
        </>
      ) : null,
      "product",
    ],
    ["Memory", facts.memTotalKiB !== null ? formatBytes(facts.memTotalKiB * 1024) : null, "memTotalKiB"],
    ["OS", facts.os, "os"],
    ["Architecture", facts.arch, "arch"],
    ["Kernel", facts.kernelRelease, "kernelRelease"],
    ["Page size", facts.pageSize ? formatPageSize(facts.pageSize) : null, "pageSize"],
    ["IPA limit", facts.ipaBits !== null ? `${facts.ipaBits} bits` : null, "ipaBits"],
    ["GIC", facts.gic !== null ? `GICv${facts.gic}` : null, "gic"],
    ["KVM", kvmText(facts.kvm), "kvm"],
    ["FWB (Stage-2 forced write-back)", yesNo(facts.fwb, "detected", "not detected"), "fwb"],
    [
      "Platform class",
      facts.platformClass
        ? `${facts.platformClass}${facts.bootMethod ? ` (${facts.bootMethod.toUpperCase()} boot)` : ""}`
        : null,
      "platformClass",
    ],
    ["Virtualized", yesNo(facts.virtualized, "yes — the host is itself a VM", "no (bare metal)"), "virtualized"],
    [
      "Cloud Hypervisor",
      facts.cloudHypervisor
        ? facts.cloudHypervisor.found
          ? `${facts.cloudHypervisor.version ?? "version unknown"}${facts.cloudHypervisor.path ? ` at ${facts.cloudHypervisor.path}` : ""}`
          : "not installed"
        : null,
      "cloudHypervisor",
    ],
    [
      "virtiofsd",
      facts.virtiofsd.length
        ? facts.virtiofsd.map((d) => `${d.flavour} ${d.version ?? "?"} (${d.path})`).join("; ")
        : null,
      "virtiofsd",
    ],
  ];
  return (
    <table className="w-full text-sm" data-testid="facts-table">
      <tbody>
        {rows.map(([label, value, name]) => (
          <tr key={label} className="border-t border-slate-100 first:border-t-0 dark:border-slate-800">
            <th
              scope="row"
              className="w-1/3 py-1.5 pr-3 text-left align-top font-normal text-slate-500 dark:text-slate-400"
            >
              {label}
            </th>
            <td className="py-1.5 align-top break-words">
              {value === null || value === undefined || value === "" ? unknown(why(name)) : value}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
