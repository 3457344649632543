import type { MetadataRoute } from "next";

// The web manifest (/manifest.webmanifest): name, colours and icons for a home-screen or app-window install.
// The slate of the icon's background; app/layout.tsx gives browsers the same colour.
const THEME_COLOR = "#0f172a";

export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "DAXboard",
    short_name: "DAXboard",
    description: "Zero-copy sharing readiness for arm64 Cloud Hypervisor fleets",
    start_url: "/",
    display: "standalone",
    background_color: THEME_COLOR,
    theme_color: THEME_COLOR,
    icons: [
      { src: "/icon.svg", sizes: "any", type: "image/svg+xml" },
      { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
      { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
    ],
  };
}
