// Where to go after login: only a path of this app, so the login page is never an open redirect (issue 12).
// Browsers read "\" as "/" and drop tabs and newlines, so "/\evil.example" and "/\t/evil.example" would leave the
// site: anything but a plain "/path" that stays on a placeholder origin falls back to "/".
const ORIGIN = "http://daxboard.invalid";

export function safeNextPath(raw: string | null | undefined): string {
  if (!raw || raw.length > 2048 || !raw.startsWith("/")) return "/";
  if (raw.startsWith("//") || raw.includes("\\") || /[\u0000-\u001f\u007f]/.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== ORIGIN) return "/";
  const path = url.pathname + url.search + url.hash;
  // Percent-decoding may not turn the result into a protocol-relative path either.
  return path.startsWith("//") ? "/" : path;
}
