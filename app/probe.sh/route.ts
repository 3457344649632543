import { probeScript } from "@/lib/scan/probe-script";

// GET /probe.sh — the constant probe script for hand runs on air-gapped hosts (public: holds no secrets)
export function GET() {
  return new Response(probeScript(), {
    headers: { "content-type": "text/x-shellscript; charset=utf-8", "cache-control": "no-cache" },
  });
}
