// DOMAIN.md §6: how to prove, inside a guest, that DAX is really on. A mount that "worked" proves little.
export function GuestVerification() {
  const code = "rounded bg-slate-100 px-1 font-mono text-xs dark:bg-slate-800";
  return (
    <div className="space-y-2 text-sm" data-testid="guest-verification">
      <ol className="list-decimal space-y-2 pl-5">
        <li>
          Mount with <code className={code}>-o dax=always</code> (guest kernel 5.17+; plain{" "}
          <code className={code}>-o dax</code> before) so it fails loudly, e.g.{" "}
          <code className={code}>mount -t virtiofs -o dax=always myfs /mnt</code>.
        </li>
        <li>
          Check <code className={code}>/proc/mounts</code>: it must show <code className={code}>dax=always</code> (or{" "}
          <code className={code}>,dax</code> on older kernels).
        </li>
        <li>
          Read the guest&apos;s <code className={code}>dmesg</code>:
          <ul className="mt-1 list-disc space-y-1 pl-5">
            <li>
              <code className={code}>Cache len: 0x… @ 0x…</code> — a DAX window exists.
            </li>
            <li>
              <code className={code}>virtio_fs_setup_dax: No cache capability</code> — the VMM exposed no window (the
              usual result on Cloud Hypervisor ≥ v23).
            </li>
            <li>
              <code className={code}>dax can&apos;t be enabled as filesystem device does not support it</code> — the
              mount error you get with <code className={code}>dax=always</code> and no window.
            </li>
          </ul>
        </li>
      </ol>
      <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950 dark:text-amber-100">
        <code className={code}>dax=inode</code> silently falls back to no DAX, so{" "}
        <code className={code}>mount | grep dax</code> alone proves little.
      </p>
    </div>
  );
}
