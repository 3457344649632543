import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

// The nonce proxy.ts puts on the request (x-nonce); the CSP lets only scripts carrying it run.
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-nonce": "bm9uY2UtZnJvbS1wcm94eQ==" }) }));

describe("root layout", () => {
  it("stamps the request's CSP nonce on its inline theme script", async () => {
    const { default: RootLayout } = await import("@/app/layout");
    const html = renderToStaticMarkup(await RootLayout({ children: <p>page</p> }));
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script nonce="bm9uY2UtZnJvbS1wcm94eQ==">']);
    expect(html).toContain("daxboard-theme");
  });
});
