import fs from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { metadata, viewport } from "@/app/layout";
import manifest from "@/app/manifest";
import { config as proxyConfig, proxy } from "@/proxy";

// public/: the app's icons and web manifest, in the formats and sizes they claim, used by the layout, and served
// past the login gate in proxy.ts.
const publicDir = path.resolve("public");
const file = (url: string) => fs.readFileSync(path.join(publicDir, url));

// Width and height from a PNG's IHDR chunk.
function pngSize(bytes: Buffer): string {
  expect(bytes.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

// The images inside an ICO file, each a PNG of the size its directory entry states.
function icoSizes(bytes: Buffer): string[] {
  expect(bytes.readUInt16LE(0)).toBe(0);
  expect(bytes.readUInt16LE(2)).toBe(1);
  return Array.from({ length: bytes.readUInt16LE(4) }, (_, i) => {
    const entry = 6 + 16 * i;
    const size = `${bytes[entry] || 256}x${bytes[entry + 1] || 256}`;
    const image = bytes.subarray(
      bytes.readUInt32LE(entry + 12),
      bytes.readUInt32LE(entry + 12) + bytes.readUInt32LE(entry + 8),
    );
    expect(pngSize(image)).toBe(size);
    return size;
  });
}

describe("public icons", () => {
  it("are what they claim: a 16/32/48 px favicon, a 180 px apple-touch icon, an SVG", () => {
    expect(icoSizes(file("favicon.ico"))).toEqual(["16x16", "32x32", "48x48"]);
    expect(pngSize(file("apple-touch-icon.png"))).toBe("180x180");
    expect(file("icon.svg").toString("utf8")).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 64 64"/,
    );
  });

  it("are named by the web manifest, with its sizes and the layout's theme colour", () => {
    const m = manifest();
    expect(m.name).toBe("DAXboard");
    expect(m.theme_color).toBe(viewport.themeColor);
    expect(m.icons?.length).toBeGreaterThan(0);
    for (const icon of m.icons ?? []) {
      const bytes = file(icon.src);
      if (icon.type === "image/png") expect(pngSize(bytes)).toBe(icon.sizes);
      else expect(icon.type).toBe("image/svg+xml");
    }
  });

  it("are linked from every page by the root layout", () => {
    const icons = metadata.icons as { icon: { url: string }[]; apple: { url: string } };
    for (const url of [...icons.icon.map((i) => i.url), icons.apple.url]) expect(file(url).length).toBeGreaterThan(0);
    expect(metadata.manifest).toBe("/manifest.webmanifest");
  });

  it("pass proxy.ts without a session (browsers fetch the manifest without cookies); pages still need one", () => {
    const matcher = new RegExp(`^${proxyConfig.matcher[0]}$`);
    expect(matcher.test("/favicon.ico")).toBe(false);
    expect(matcher.test("/login")).toBe(true);
    for (const url of [
      "/icon.svg",
      "/apple-touch-icon.png",
      "/icon-192.png",
      "/icon-512.png",
      "/manifest.webmanifest",
    ]) {
      const res = proxy(new NextRequest(`http://127.0.0.1:3000${url}`));
      expect(res.headers.get("location"), url).toBeNull();
      expect(res.headers.get("x-middleware-next"), url).toBe("1");
      expect(res.headers.get("x-content-type-options"), url).toBe("nosniff");
    }
    const page = proxy(new NextRequest("http://127.0.0.1:3000/hosts"));
    expect(page.headers.get("location")).toContain("/login");
  });
});
