import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: "DAXboard",
  description: "virtio-fs DAX readiness for arm64 Cloud Hypervisor fleets",
  // public/: favicon.ico (16, 32, 48 px) for every browser, the SVG where supported, the 180 px home-screen icon.
  icons: {
    icon: [
      { url: "/favicon.ico", sizes: "16x16 32x32 48x48" },
      { url: "/icon.svg", type: "image/svg+xml" },
    ],
    apple: { url: "/apple-touch-icon.png", sizes: "180x180" },
  },
  manifest: "/manifest.webmanifest",
};

// The manifest's theme colour (app/manifest.ts).
export const viewport: Viewport = { themeColor: "#0f172a" };

// Applies the saved theme before paint so dark mode never flashes.
const themeScript = `try{var t=localStorage.getItem("daxboard-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

// Reading the request's headers renders every page per request, as a CSP nonce requires: proxy.ts makes a fresh
// one for each page and the inline theme script must carry it to run.
export default async function RootLayout({ children }: { children: ReactNode }) {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
