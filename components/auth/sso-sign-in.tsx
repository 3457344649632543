import { safeNextPath } from "@/lib/auth/safe-next-path";
import { Alert } from "../ui/alert";

// A plain link, not a fetch: the browser itself must travel to the identity provider and back with its cookies.
export function SsoSignIn({ name, next, error }: { name: string; next: string | undefined; error: string | null }) {
  const target = safeNextPath(next);
  const href = `/api/auth/oidc/start${target === "/" ? "" : `?next=${encodeURIComponent(target)}`}`;
  return (
    <div className="space-y-3">
      {error ? <Alert>{error}</Alert> : null}
      <a
        href={href}
        className="inline-flex w-full items-center justify-center rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white transition-colors hover:bg-sky-700"
      >
        Sign in with {name}
      </a>
    </div>
  );
}
