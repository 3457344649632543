import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/safe-next-path";

describe("safeNextPath: the redirect after login stays on this app", () => {
  it.each([
    ["/", "/"],
    ["/hosts/abc", "/hosts/abc"],
    ["/?tag=rack3&verdict=not-ready", "/?tag=rack3&verdict=not-ready"],
    ["/hosts/abc#scans", "/hosts/abc#scans"],
    ["/admin/users?x=%2F%2Fevil", "/admin/users?x=%2F%2Fevil"],
  ])("keeps the app path %s", (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\u0000/evil.example",
    "/ok\u007f",
    " /hosts",
    "/" + "a".repeat(5000),
  ])("falls back to / for %j", (raw) => {
    expect(safeNextPath(raw)).toBe("/");
  });

  it("whatever it returns, a browser resolves it to this origin", () => {
    const tricky = ["/%2F/evil.example", "/./\\evil", "/..//evil.example", "/%09/evil.example", "/%5C%5Cevil.example"];
    for (const raw of tricky) {
      const out = safeNextPath(raw);
      expect(new URL(out, "https://daxboard.example").origin, raw).toBe("https://daxboard.example");
      expect(out.startsWith("//"), raw).toBe(false);
    }
  });
});
