// Every security header DAXboard sends, in one place (issue 12 item 7). proxy.ts applies them per request (the
// CSP with a fresh nonce for pages); next.config.ts applies the constant ones to the static files proxy.ts skips.

export type SecurityHeaderOptions = {
  // The public URL is https: send HSTS and upgrade stray http subresources.
  https: boolean;
  // `next dev`: React's dev build needs eval for its debugging stacks.
  dev?: boolean;
  // A page response: its CSP allows exactly the scripts carrying this nonce.
  nonce?: string;
};

// Browser features a fleet dashboard never uses, denied to the page and to anything it could ever embed.
const DENIED_FEATURES = [
  "accelerometer",
  "camera",
  "display-capture",
  "geolocation",
  "gyroscope",
  "hid",
  "idle-detection",
  "magnetometer",
  "microphone",
  "midi",
  "payment",
  "screen-wake-lock",
  "serial",
  "usb",
  "xr-spatial-tracking",
];

// The same on every response, known at build time.
export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "same-origin",
  "Permissions-Policy": DENIED_FEATURES.map((feature) => `${feature}=()`).join(", "),
};

export const HSTS = "max-age=31536000; includeSubDomains";

// 128 random bits, base64: what Next.js reads back from the request's CSP header to stamp its own scripts.
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

// A strict, nonce-based policy: only scripts carrying this request's nonce run, and what they load
// ('strict-dynamic'); 'self' is the fallback for browsers without CSP 3. Styles allow 'unsafe-inline': the app's
// CSS is one linked Tailwind file, but Next's built-in 404 and error pages use <style> elements and style
// attributes, which cannot carry a nonce, and inline CSS cannot run code.
export function contentSecurityPolicy(nonce: string, opts: { https: boolean; dev?: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ];
  if (opts.https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

// The headers for one response: the constant ones, HSTS under https, and the CSP when the response is a page.
export function securityHeaders(opts: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = { ...STATIC_SECURITY_HEADERS };
  if (opts.https) headers["Strict-Transport-Security"] = HSTS;
  if (opts.nonce) headers["Content-Security-Policy"] = contentSecurityPolicy(opts.nonce, opts);
  return headers;
}
